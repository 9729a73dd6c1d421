/**
 * An exclusive lock on an embedded data folder. PGlite takes no lock of its own, and two processes on one folder
 * silently lose writes; so the first process writes `stormops.lock` (pid, command, start time) with O_EXCL and every
 * later one is refused with the holder named. A lock whose process is gone is stale and taken over.
 */
import { mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../errors.ts';

export interface LockInfo {
  pid: number;
  host: string;
  command: string;
  started_at: string;
  /** Where the holder serves the HTTP API, once it listens (`stormops start`); the CLI then speaks to it. */
  url?: string;
}

export interface DataDirLock {
  readonly path: string;
  release(): void;
}

/** Records in the lock where this process (its holder) listens, so a CLI on the same folder can use the API. */
export function recordListenUrl(dataDir: string, url: string): void {
  const path = join(dataDir, 'stormops.lock');
  const holder = readHolder(path);
  if (holder?.pid !== process.pid) return;
  writeFileSync(`${path}.tmp`, JSON.stringify({ ...holder, url }));
  renameSync(`${path}.tmp`, path);
}

/** The live process holding the data folder, if any (a stale lock reads as none). */
export function liveHolder(dataDir: string): LockInfo | undefined {
  const holder = readHolder(join(dataDir, 'stormops.lock'));
  return holder && isAlive(holder) ? holder : undefined;
}

export function lockDataDir(dataDir: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'stormops.lock');
  const info: LockInfo = {
    pid: process.pid,
    host: hostname(),
    command: process.argv.slice(1).join(' '),
    started_at: new Date().toISOString(),
  };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, JSON.stringify(info), { flag: 'wx' });
      return { path, release: () => releaseIfOurs(path) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = readHolder(path);
      if (holder && isAlive(holder)) {
        throw new AppError(
          'DATA_DIR_LOCKED',
          `data folder ${dataDir} is in use by process ${holder.pid} (${holder.command || 'stormops'}, since ${holder.started_at}); stop it or use its HTTP API`,
          { data_dir: dataDir, holder },
        );
      }
      unlinkSync(path); // stale: its process is gone
    }
  }
  throw new AppError('DATA_DIR_LOCKED', `could not lock data folder ${dataDir}`, { data_dir: dataDir });
}

function readHolder(path: string): LockInfo | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockInfo;
  } catch {
    return undefined; // unreadable or half-written: treat as stale
  }
}

function isAlive(holder: LockInfo): boolean {
  if (holder.host !== hostname()) return true; // cannot see another host's processes: assume it is alive
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function releaseIfOurs(path: string): void {
  const holder = readHolder(path);
  if (holder?.pid === process.pid) unlinkSync(path);
}
