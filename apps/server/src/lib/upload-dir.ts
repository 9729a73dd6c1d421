/**
 * Where uploaded files wait for their import job: a private directory of this process (0700, files 0600) under the
 * embedded data folder or under TMPDIR, never a shared fixed folder. Each file is written only after the route knows
 * the caller and the target (see properties.routes.ts), is cut off at the route's byte limit, and is removed when its
 * job ends however it ends; the directory goes with the process, and directories of processes that are gone are
 * swept when the next one starts.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { chmod, lstat, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../errors.ts';
import { byteLimit } from './byte-limit.ts';

/** The default parent of upload directories when there is no data folder: per user, under TMPDIR. */
export function defaultUploadRoot(): string {
  const uid = typeof process.getuid === 'function' ? process.getuid() : 'user';
  return join(tmpdir(), `stormops-uploads-${uid}`);
}

export class UploadDir {
  private constructor(readonly path: string) {}

  /** Makes `root` (0700, ours, not a link), sweeps directories of dead processes in it, and makes this process' own. */
  static async open(root: string): Promise<UploadDir> {
    await mkdir(root, { recursive: true, mode: 0o700 });
    const s = await lstat(root);
    const uid = typeof process.getuid === 'function' ? process.getuid() : s.uid;
    if (!s.isDirectory() || s.uid !== uid)
      throw new AppError('CONFIG_INVALID', `upload folder ${root} is not a directory of this user; remove it`);
    await chmod(root, 0o700);
    await sweepUploads(root);
    const path = await mkdtemp(join(root, `${process.pid}-`));
    await chmod(path, 0o700);
    return new UploadDir(path);
  }

  /**
   * Streams `body` into a new private file and returns its path. Over `limitBytes` the transfer stops with
   * PAYLOAD_TOO_LARGE; on any failure the partial file is removed.
   */
  async receive(body: Readable, limitBytes: number): Promise<string> {
    const file = join(this.path, `${randomUUID()}.upload`);
    const out = createWriteStream(file, { flags: 'wx', mode: 0o600 });
    try {
      await pipeline(body, byteLimit(limitBytes), out);
      return file;
    } catch (err) {
      // The pipeline can fail before the file's open has completed (a body refused at once): wait for the stream to
      // close, or the open would create the file after it was removed and leave a partial upload behind.
      if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve()));
      await rm(file, { force: true });
      throw err;
    }
  }

  /** Removes the directory and whatever is left in it (at shutdown). */
  async close(): Promise<void> {
    await rm(this.path, { recursive: true, force: true });
  }
}

/** Removes upload directories (`<pid>-xxxxxx`) whose process is gone; returns how many. */
export async function sweepUploads(root: string): Promise<number> {
  let swept = 0;
  for (const name of await readdir(root).catch(() => [] as string[])) {
    const pid = Number(/^(\d+)-/.exec(name)?.[1]);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || processAlive(pid)) continue;
    await rm(join(root, name), { recursive: true, force: true });
    swept++;
  }
  return swept;
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
