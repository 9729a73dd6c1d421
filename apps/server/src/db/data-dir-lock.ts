/**
 * An exclusive lock on an embedded data folder. PGlite takes no lock of its own, and two processes on one folder
 * silently lose writes; so the first process holds `stormops.lock` (pid, host, command, start time) and every later
 * one is refused with the holder named.
 *
 * Taking it is atomic and the file is never seen half-written: the holder's facts are written to a private temporary
 * file first, which is then hard-linked to `stormops.lock` (link fails if the name exists, whoever raced us). A lock
 * whose process is gone is stale; taking it over happens under a second exclusive file (`stormops.lock.takeover`),
 * and only after re-reading the lock and finding the same stale holder, so two processes that both saw it stale cannot
 * both end up holding it.
 */
import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../errors.ts';

interface LockInfo {
  pid: number;
  host: string;
  command: string;
  started_at: string;
  /** Distinguishes two holders with the same pid (a pid reused after a crash). */
  token?: string;
}

export interface DataDirLock {
  readonly path: string;
  release(): void;
}

/** How many times a contended lock is looked at again before giving up (about 2.5 s in all). */
const ATTEMPTS = 30;

export function lockDataDir(dataDir: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, 'stormops.lock');
  const info: LockInfo = {
    pid: process.pid,
    host: hostname(),
    command: process.argv.slice(1).join(' '),
    started_at: new Date().toISOString(),
    token: randomBytes(8).toString('hex'),
  };
  const body = JSON.stringify(info);
  const temp = `${path}.${process.pid}.${info.token}`;
  writeFileSync(temp, body, { flag: 'wx', mode: 0o600 });
  try {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      if (tryLink(temp, path)) return { path, release: () => releaseIfOurs(path, info) };
      const seen = readRaw(path);
      if (seen === undefined) continue; // released meanwhile: try again
      const holder = parse(seen);
      if (holder && isAlive(holder)) throw locked(dataDir, holder);
      // Stale (its process is gone, or not a lock this code wrote): take it over under the takeover guard.
      const took = takeOver(path, temp, seen);
      if (took === 'ours') return { path, release: () => releaseIfOurs(path, info) };
      sleepSync(5 + attempt * 5); // another process is mid-takeover: let it finish, then look again
    }
  } finally {
    unlinkQuiet(temp);
  }
  throw new AppError('DATA_DIR_LOCKED', `could not lock data folder ${dataDir}: other processes keep contending`, {
    data_dir: dataDir,
  });
}

/** Replaces the stale lock `seen` by ours, if it is still that one; 'busy' if another process is doing it. */
function takeOver(path: string, temp: string, seen: string): 'ours' | 'busy' {
  const guard = `${path}.takeover`;
  if (!tryLink(temp, guard)) {
    const other = parse(readRaw(guard) ?? '');
    // A guard is held for microseconds. One left by a process that died mid-takeover (gone, and the guard old) is
    // removed; the next round takes it or loses to another process.
    if (other && !isAlive(other) && ageMs(guard) > GUARD_STALE_MS) unlinkQuiet(guard);
    return 'busy';
  }
  try {
    if (readRaw(path) !== seen) return 'busy'; // changed since we looked: look again
    unlinkQuiet(path);
    return tryLink(temp, path) ? 'ours' : 'busy';
  } finally {
    unlinkQuiet(guard);
  }
}

const GUARD_STALE_MS = 10_000;

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function tryLink(from: string, to: string): boolean {
  try {
    linkSync(from, to);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

function readRaw(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function parse(text: string): LockInfo | undefined {
  try {
    const v = JSON.parse(text) as LockInfo;
    return typeof v.pid === 'number' ? v : undefined;
  } catch {
    return undefined; // not written by this code (locks are linked whole, never half-written): stale
  }
}

function locked(dataDir: string, holder: LockInfo): AppError {
  return new AppError(
    'DATA_DIR_LOCKED',
    `data folder ${dataDir} is in use by process ${holder.pid} (${holder.command || 'stormops'}, since ${holder.started_at}); stop it or use its HTTP API`,
    { data_dir: dataDir, holder: { pid: holder.pid, host: holder.host, command: holder.command } },
  );
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

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function unlinkQuiet(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

function releaseIfOurs(path: string, info: LockInfo): void {
  const holder = parse(readRaw(path) ?? '');
  if (holder?.pid === info.pid && holder.token === info.token) unlinkQuiet(path);
}
