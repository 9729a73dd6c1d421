/**
 * The first page a signed-out person sees: e-mail and password (a session cookie; docs/sign-in.md), single sign-on
 * for organisations that have it, a forgotten-password request, and an API key for staff and programs.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ApiError, api, credentials, unwrap } from '../api/client';
import { SESSION_KEY } from '../api/session';
import { ErrorNote } from '../components/Async';

interface Organisation {
  tenant_id: string;
  org_name: string;
}

export function SignInPage() {
  const qc = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [orgs, setOrgs] = useState<Organisation[] | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  async function signIn(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const tenant = String(f.get('tenant_id') ?? '');
    setBusy(true);
    setError(null);
    try {
      credentials.setApiKey(null);
      const body = {
        email: String(f.get('email')),
        password: String(f.get('password')),
        ...(tenant ? { tenant_id: tenant } : {}),
      };
      const r = await unwrap<{ csrf_token: string }>(api.POST('/v1/auth/login', { body }));
      credentials.setCsrf(r.csrf_token);
      await qc.invalidateQueries({ queryKey: SESSION_KEY });
    } catch (err) {
      const list = err instanceof ApiError ? (err.details as { organisations?: Organisation[] })?.organisations : null;
      if (err instanceof ApiError && err.status === 409 && list) setOrgs(list);
      else setError(err);
    } finally {
      setBusy(false);
    }
  }

  async function useKey(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const key = String(new FormData(e.currentTarget).get('api_key') ?? '').trim();
    setError(null);
    credentials.setApiKey(key || null);
    await qc.invalidateQueries({ queryKey: SESSION_KEY });
    if (!qc.getQueryData(SESSION_KEY)) {
      credentials.setApiKey(null);
      setError(new Error('That API key was not accepted: check it has not expired or been revoked.'));
    }
  }

  async function forgot(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const email = String(new FormData(e.currentTarget).get('reset_email'));
    setError(null);
    try {
      await unwrap(api.POST('/v1/auth/password-reset/request', { body: { email } }));
      setNotice(`If ${email} has an account, a reset link is on its way.`);
    } catch (err) {
      setError(err);
    }
  }

  function sso(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const tenant = String(new FormData(e.currentTarget).get('sso_tenant')).trim();
    const back = location.pathname === '/sign-in' ? '/' : location.pathname;
    location.assign(`/v1/auth/sso/start?tenant_id=${encodeURIComponent(tenant)}&return_to=${encodeURIComponent(back)}`);
  }

  return (
    <main className="container" style={{ maxWidth: '32rem' }}>
      <h1>Sign in to StormOps</h1>
      {error ? <ErrorNote error={error} /> : null}
      {notice ? <p role="status">{notice}</p> : null}
      <form onSubmit={(e) => void signIn(e)} aria-label="Sign in">
        <label>
          E-mail
          <input name="email" type="email" autoComplete="username" required />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        {orgs && (
          <label>
            Organisation (this e-mail has several)
            <select name="tenant_id" required defaultValue="">
              <option value="" disabled>
                Choose one
              </option>
              {orgs.map((o) => (
                <option key={o.tenant_id} value={o.tenant_id}>
                  {o.org_name}
                </option>
              ))}
            </select>
          </label>
        )}
        <button type="submit" aria-busy={busy} disabled={busy}>
          Sign in
        </button>
      </form>
      <p>
        New to StormOps? <a href="/onboarding">Start a free trial</a>
      </p>
      <details>
        <summary>Forgot your password?</summary>
        <form onSubmit={(e) => void forgot(e)} aria-label="Request a password reset">
          <label>
            E-mail for the reset link
            <input name="reset_email" type="email" required />
          </label>
          <button type="submit" className="secondary">
            Send a reset link
          </button>
        </form>
      </details>
      <details>
        <summary>Single sign-on</summary>
        <form onSubmit={sso} aria-label="Single sign-on">
          <label>
            Organisation ID (from your administrator)
            <input name="sso_tenant" required pattern="[0-9a-fA-F-]{36}" />
          </label>
          <button type="submit" className="secondary">
            Continue with your company's sign-in
          </button>
        </form>
      </details>
      <details>
        <summary>Use an API key (staff and integrations)</summary>
        <form onSubmit={(e) => void useKey(e)} aria-label="Sign in with an API key">
          <label>
            API key
            <input name="api_key" type="password" autoComplete="off" required />
          </label>
          <button type="submit" className="secondary">
            Use this key
          </button>
        </form>
      </details>
    </main>
  );
}
