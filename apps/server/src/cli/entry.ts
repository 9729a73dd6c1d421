/** Process entry of `stormops`: the only place that hands the environment to the configuration. */
import { main } from './main.ts';

const code = await main(process.argv.slice(2), process.env);
// `start` keeps serving; every other command is done and exits with its code.
if (code !== 0 || !process.argv.slice(2).includes('start')) process.exitCode = code;
