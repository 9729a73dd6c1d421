/**
 * One racer of the data-folder lock test (resilience.lock.test.ts): reads round start times on stdin, tries to take
 * the lock at exactly that instant (spinning the last milliseconds), prints `{"round":n,"held":bool}` (with `error` when the lock failed otherwise than refusing), holds a won
 * lock for `holdMs`, then releases it.
 */
import { createInterface } from 'node:readline';
import { lockDataDir } from '../src/db/data-dir-lock.ts';

const [dir, holdArg] = process.argv.slice(2);
const holdMs = Number(holdArg ?? 400);
process.stdout.write('ready\n');
for await (const line of createInterface({ input: process.stdin })) {
  const { round, at } = JSON.parse(line) as { round: number; at: number };
  const wait = at - Date.now() - 20;
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  while (Date.now() < at) {
    // spin: every racer calls lockDataDir in the same millisecond
  }
  let held = false;
  let error: string | undefined;
  let release = () => {};
  try {
    const lock = lockDataDir(dir!);
    held = true;
    release = () => lock.release();
  } catch (err) {
    if ((err as { code?: string }).code !== 'DATA_DIR_LOCKED') error = String(err);
  }
  process.stdout.write(JSON.stringify({ round, held, ...(error ? { error } : {}) }) + '\n');
  await new Promise((r) => setTimeout(r, holdMs));
  release();
}
