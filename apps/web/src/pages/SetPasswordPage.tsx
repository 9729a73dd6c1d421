/**
 * The pages behind the one-time links of docs/sign-in.md: /accept-invite?token=inv_... (choose a password and be
 * signed in) and /reset-password?token=... (set a new password, then sign in).
 */
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, credentials, unwrap } from '../api/client';
import { SESSION_KEY } from '../api/session';
import { ErrorNote } from '../components/Async';

export default function SetPasswordPage({ mode }: { mode: 'invite' | 'reset' }) {
  const qc = useQueryClient();
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const password = String(f.get('password'));
    if (password !== String(f.get('confirm'))) {
      setError(new Error('The two passwords differ.'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      if (mode === 'invite') {
        const r = await unwrap<{ csrf_token: string }>(
          api.POST('/v1/auth/accept-invite', { body: { token, password } }),
        );
        credentials.setApiKey(null);
        credentials.setCsrf(r.csrf_token);
        await qc.invalidateQueries({ queryKey: SESSION_KEY });
        location.assign('/');
      } else {
        await unwrap(api.POST('/v1/auth/password-reset', { body: { token, password } }));
        setDone(true);
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const title = mode === 'invite' ? 'Accept your invitation' : 'Choose a new password';
  return (
    <main className="container" style={{ maxWidth: '32rem' }}>
      <h1>{title}</h1>
      {!token && <ErrorNote error={new Error('This link has no token: open the link from your e-mail again.')} />}
      {error ? <ErrorNote error={error} /> : null}
      {done ? (
        <p role="status">
          Your password is set. <a href="/sign-in">Sign in</a>
        </p>
      ) : (
        <form onSubmit={(e) => void submit(e)} aria-label={title}>
          <label htmlFor="new-password">New password</label>
          <input
            id="new-password"
            name="password"
            type="password"
            minLength={10}
            maxLength={200}
            autoComplete="new-password"
            aria-describedby="password-hint"
            required
          />
          <small id="password-hint">10 to 200 characters.</small>
          <label>
            The same password again
            <input name="confirm" type="password" minLength={10} maxLength={200} autoComplete="new-password" required />
          </label>
          <button type="submit" aria-busy={busy} disabled={busy || !token}>
            Set password
          </button>
        </form>
      )}
    </main>
  );
}
