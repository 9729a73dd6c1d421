/**
 * Secrets an embedded install keeps beside its data: the operator's platform token (when config gives none) and the
 * demo tenant's credential, each in a 0600 file of the data folder, so `npm start` can show them on every start.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function readSecret(dir: string, name: string): string | undefined {
  const path = join(dir, name);
  return existsSync(path) ? readFileSync(path, 'utf8').trim() || undefined : undefined;
}

export function writeSecret(dir: string, name: string, value: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), value + '\n', { mode: 0o600 });
}

export function platformTokenFor(dir: string, configured: string | undefined): string {
  if (configured) return configured;
  const kept = readSecret(dir, 'platform-token');
  if (kept) return kept;
  const made = `sop_${randomBytes(24).toString('base64url')}`;
  writeSecret(dir, 'platform-token', made);
  return made;
}
