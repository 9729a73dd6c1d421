/**
 * POST JSON with retries: exponential backoff with jitter on 429 (honouring Retry-After), 5xx and network errors;
 * no retry on other 4xx (a 400 will fail the same way again). Sleep and randomness are injectable for tests.
 */
export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Per-attempt timeout. */
  timeoutMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 30_000, timeoutMs: 10_000 };

export interface HttpDeps {
  fetch: typeof fetch;
  sleep: (ms: number) => Promise<void>;
  /** In [0, 1); jitter spreads retries of several instances. */
  random: () => number;
  /** For HTTP-date Retry-After values. */
  now: () => Date;
}

export const defaultHttpDeps: HttpDeps = {
  fetch: (...a) => fetch(...a),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  random: Math.random,
  now: () => new Date(),
};

export interface PostResult {
  ok: boolean;
  status: number;
  attempts: number;
  retryable: boolean;
  body: string;
  error?: string;
}

/** Delay before retry number `attempt` (1-based): base * 2^(attempt-1), jittered to [50%, 100%], capped. */
export function backoffMs(attempt: number, policy: RetryPolicy, random: () => number): number {
  const raw = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(raw * (0.5 + random() / 2));
}

/** Retry-After in ms (delta-seconds or HTTP date), capped at the policy's maximum delay; undefined when absent. */
export function retryAfterMs(header: string | null, policy: RetryPolicy, now: Date): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - now.getTime();
  if (!Number.isFinite(ms)) return undefined;
  return Math.min(policy.maxDelayMs, Math.max(0, ms));
}

const retryableStatus = (s: number) => s === 429 || s === 408 || s >= 500;

export async function postJson(url: string, body: unknown, policy: RetryPolicy, deps: HttpDeps): Promise<PostResult> {
  let last: PostResult = { ok: false, status: 0, attempts: 0, retryable: true, body: '' };
  for (let attempt = 1; attempt <= policy.maxAttempts; attempt++) {
    let wait: number | undefined;
    try {
      const res = await deps.fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(policy.timeoutMs),
      });
      const text = await res.text();
      if (res.ok) return { ok: true, status: res.status, attempts: attempt, retryable: false, body: text };
      last = {
        ok: false,
        status: res.status,
        attempts: attempt,
        retryable: retryableStatus(res.status),
        body: text,
        error: `HTTP ${res.status}: ${text.slice(0, 200)}`,
      };
      if (!last.retryable) return last;
      if (res.status === 429) wait = retryAfterMs(res.headers.get('retry-after'), policy, deps.now());
    } catch (err) {
      last = { ok: false, status: 0, attempts: attempt, retryable: true, body: '', error: (err as Error).message };
    }
    if (attempt < policy.maxAttempts) await deps.sleep(wait ?? backoffMs(attempt, policy, deps.random));
  }
  return last;
}
