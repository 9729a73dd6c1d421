/** A real `stormops start` in a process of its own, for tests that need several servers or a live /metrics. */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

export const BIN = resolve(import.meta.dirname, '../bin/stormops.mjs');

/**
 * The children's environment: this one without StormOps settings, so a DATABASE_URL (or a PORT, a profile...) set
 * on the machine cannot reach them; each test says what it wants.
 */
export const CLEAN_ENV = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !/^(DATABASE_URL|STORMOPS_|OTEL_|HOST$|PORT$|LOG_LEVEL$)/.test(k)),
);

export interface ServerProcess {
  url: string;
  platformToken: string;
  child: ChildProcess;
  /** What the process printed on stderr so far. */
  stderr(): string;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
}

/** Starts `stormops start --no-demo --json` on an ephemeral port and waits for its start-up line. */
export async function startServerProcess(env: Record<string, string>, cwd: string): Promise<ServerProcess> {
  const child = spawn(process.execPath, [BIN, 'start', '--no-demo', '--json'], {
    cwd,
    env: { ...CLEAN_ENV, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...env },
  });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const facts = await new Promise<{ url: string; platform_token: string }>((ok, fail) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out
        .split('\n')
        .slice(0, -1)
        .find((l) => l.startsWith('{'));
      if (line) ok(JSON.parse(line) as { url: string; platform_token: string });
    });
    child.once('exit', (code) => fail(new Error(`server exited ${code}: ${err}`)));
  });
  return {
    url: facts.url,
    platformToken: facts.platform_token,
    child,
    stderr: () => err,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** One sample's value from a Prometheus text exposition (`name{labels}`, labels as printed), or undefined. */
export function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(series + ' '));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}
