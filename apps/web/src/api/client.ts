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

const auth: Middleware = {
  onRequest({ request }) {
    const key = credentials.apiKey();
    if (key) request.headers.set('authorization', `Bearer ${key}`);
    else if (csrfToken && request.method !== 'GET' && request.method !== 'HEAD')
      request.headers.set('x-csrf-token', csrfToken);
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
 * The body of a successful call, typed by the caller: the routes do not declare response schemas yet, so the shapes
 * the pages read are declared in views.ts.
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
