/**
 * Who is signed in, for the whole app: read once from GET /v1/auth/session (a session cookie or the API key of this
 * tab), kept in TanStack Query's cache. Signing in or out refreshes it; every page below the gate can rely on it.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api, credentials, unwrap } from './client';
import type { WhoAmI } from './types';

export const SESSION_KEY = ['session'] as const;

async function fetchSession(): Promise<WhoAmI | null> {
  try {
    const me = await unwrap<WhoAmI>(api.GET('/v1/auth/session'));
    credentials.setCsrf(me.csrf_token);
    return me;
  } catch (err) {
    if (err instanceof ApiError && (err.status === 401 || err.status === 403)) {
      credentials.setCsrf(undefined);
      return null;
    }
    throw err;
  }
}

export function useSession() {
  return useQuery({ queryKey: SESSION_KEY, queryFn: fetchSession, staleTime: 60_000, retry: false });
}

export function useSignOut(): () => Promise<void> {
  const qc = useQueryClient();
  return async () => {
    if (!credentials.apiKey()) await api.POST('/v1/auth/logout').catch(() => undefined);
    credentials.setApiKey(null);
    credentials.setCsrf(undefined);
    qc.clear();
    await qc.invalidateQueries({ queryKey: SESSION_KEY });
  };
}

/** Staff and the operator see platform pages; tenant people see their tenant's. */
export const isStaff = (me: WhoAmI | null | undefined): boolean => me?.kind === 'staff' || me?.kind === 'platform';

/**
 * Whether the signed-in caller holds an action (GET /v1/auth/session lists them): pages hide the buttons the API
 * would refuse. Feature flags are not in the list: a flag that is off still answers with the API's refusal.
 */
export function useCan(): (action: string) => boolean {
  const me = useSession().data;
  return (action) => (me?.permissions as readonly string[] | undefined)?.includes(action) ?? false;
}
