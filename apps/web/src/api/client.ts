/**
 * The one API client: openapi-fetch typed by the generated schema.d.ts (paths, parameters and bodies). Requests carry
 * the session cookie (same origin) with its CSRF token on writes, or an API key when one was entered at sign-in.
 * Failures become an ApiError with the platform's code and message, for the pages to show.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

const KEY_STORE = 'stormops.api_key';
let csrfToken: string | undefined;

/** An API key (`sot_...`) kept for this browser tab only; staff and programs sign in with one. */
export const credentials = {
  apiKey: (): string | null => sessionStorage.getItem(KEY_STORE),
  setApiKey: (key: string | null): void => {
    if (key) sessionStorage.setItem(KEY_STORE, key);
    else sessionStorage.removeItem(KEY_STORE);
  },
  setCsrf: (token: string | undefined): void => {
    csrfToken = token;
  },
};

/** The headers that carry the caller's credential: the API key, or the session's CSRF token on a write. */
export function authHeaders(method: string): Record<string, string> {
  const key = credentials.apiKey();
  if (key) return { authorization: `Bearer ${key}` };
  if (csrfToken && method !== 'GET' && method !== 'HEAD') return { 'x-csrf-token': csrfToken };
  return {};
}

const auth: Middleware = {
  onRequest({ request }) {
    for (const [k, v] of Object.entries(authHeaders(request.method))) request.headers.set(k, v);
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: globalThis.location?.origin ?? '', credentials: 'same-origin' });
api.use(auth);

interface Answer {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/**
 * The body of a successful call, typed by the caller with the generated response types (types.ts).
 */
export async function unwrap<T>(call: Promise<Answer>): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  const body = (error ?? {}) as { error?: { code?: string; message?: string; details?: unknown } };
  throw new ApiError(
    response.status,
    body.error?.code ?? `HTTP_${response.status}`,
    body.error?.message ?? `${response.status} ${response.statusText}`,
    body.error?.details,
  );
}

/** An error answer of a raw fetch (uploads, downloads) as an ApiError. */
export async function errorOf(response: Response): Promise<ApiError> {
  const body = (await response.json().catch(() => ({}))) as {
    error?: { code?: string; message?: string; details?: unknown };
  };
  return new ApiError(
    response.status,
    body.error?.code ?? `HTTP_${response.status}`,
    body.error?.message ?? `${response.status} ${response.statusText}`,
    body.error?.details,
  );
}

/**
 * Downloads an API document (a report, an error list) with the caller's credential and saves it under `fileName`:
 * a plain link would not carry an API key.
 */
export async function download(path: string, fileName: string): Promise<void> {
  const response = await fetch(path, { headers: authHeaders('GET'), credentials: 'same-origin' });
  if (!response.ok) throw await errorOf(response);
  const url = URL.createObjectURL(await response.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
