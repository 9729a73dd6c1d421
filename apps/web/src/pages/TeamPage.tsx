/**
 * The tenant's team (users:admin): users and their roles, open invitations and a form to invite, and the tenant's
 * API credentials with revoke (credentials:admin).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { Credential, Invitation, InvitationResult, TeamUser } from '../api/types';
import { api, unwrap } from '../api/client';
import { useCan, useSession } from '../api/session';
import { Empty, ErrorNote, QueryView } from '../components/Async';
import { TableScroll } from '../components/TableScroll';
import { usDate } from '../lib/format';

const ROLES = ['admin', 'analyst', 'canvasser', 'viewer'] as const;
type TenantRole = (typeof ROLES)[number];

export default function TeamPage() {
  const can = useCan();
  const tenantId = useSession().data?.tenant_id ?? null;
  return (
    <>
      <h1>Team</h1>
      {can('users:admin') ? <Users /> : <ErrorNote error={new Error('Managing users needs the admin role.')} />}
      {can('credentials:admin') && tenantId && <Credentials tenantId={tenantId} />}
    </>
  );
}

function Users() {
  const qc = useQueryClient();
  const users = useQuery({
    queryKey: ['users'],
    queryFn: () =>
      unwrap<{ users: TeamUser[]; invitations: Invitation[] }>(api.GET('/v1/users', { params: { query: {} } })),
  });
  const refresh = () => void qc.invalidateQueries({ queryKey: ['users'] });
  const setRole = useMutation({
    mutationFn: (v: { id: string; role: TenantRole }) =>
      unwrap(
        api.PATCH('/v1/users/{user_id}', { params: { path: { user_id: v.id }, query: {} }, body: { role: v.role } }),
      ),
    onSuccess: refresh,
  });
  const [email, setEmail] = useState('');
  const [role, setNewRole] = useState<TenantRole>('canvasser');
  const invite = useMutation({
    mutationFn: () =>
      unwrap<InvitationResult>(api.POST('/v1/users/invitations', { params: { query: {} }, body: { email, role } })),
    onSuccess: () => {
      setEmail('');
      refresh();
    },
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    invite.mutate();
  }
  return (
    <>
      <QueryView query={users} what="users">
        {(d) => (
          <>
            <TableScroll label="Users">
              <table data-testid="users">
                <caption>Users</caption>
                <thead>
                  <tr>
                    <th scope="col">E-mail</th>
                    <th scope="col">Role</th>
                    <th scope="col">Password set</th>
                    <th scope="col">Last sign-in</th>
                  </tr>
                </thead>
                <tbody>
                  {d.users.map((u) => (
                    <tr key={u.user_id}>
                      <th scope="row">{u.email}</th>
                      <td>
                        <select
                          aria-label={`Role of ${u.email}`}
                          value={u.role}
                          disabled={setRole.isPending}
                          onChange={(e) => setRole.mutate({ id: u.user_id, role: e.target.value as TenantRole })}
                        >
                          {ROLES.map((r) => (
                            <option key={r}>{r}</option>
                          ))}
                        </select>
                      </td>
                      <td>{u.has_password ? 'yes' : 'no'}</td>
                      <td>{usDate(u.last_login_at)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
            <h2>Invitations</h2>
            {d.invitations.length === 0 ? (
              <Empty>No open invitation.</Empty>
            ) : (
              <ul>
                {d.invitations.map((i) => (
                  <li key={i.email}>
                    {i.email} as {i.role}, until {usDate(i.expires_at)}
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
      </QueryView>
      {setRole.error && <ErrorNote error={setRole.error} />}
      <form onSubmit={submit} aria-labelledby="invite-title">
        <h3 id="invite-title">Invite a person</h3>
        <div className="grid-2">
          <label>
            E-mail to invite
            <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} required />
          </label>
          <label>
            Invite as
            <select value={role} onChange={(e) => setNewRole(e.target.value as TenantRole)}>
              {ROLES.map((r) => (
                <option key={r}>{r}</option>
              ))}
            </select>
          </label>
        </div>
        <button type="submit" disabled={invite.isPending}>
          Send the invitation
        </button>
        {invite.error && <ErrorNote error={invite.error} />}
        {invite.data && (
          <p role="status">
            Invited {invite.data.email} as {invite.data.role}.{' '}
            {invite.data.link ? (
              <>
                No e-mail is set up: pass on this link: <code>{invite.data.link}</code>
              </>
            ) : (
              'The link was e-mailed.'
            )}
          </p>
        )}
      </form>
    </>
  );
}

function Credentials({ tenantId }: { tenantId: string }) {
  const qc = useQueryClient();
  const path = { tenant_id: tenantId };
  const creds = useQuery({
    queryKey: ['credentials', tenantId],
    queryFn: () =>
      unwrap<{ credentials: Credential[] }>(api.GET('/v1/tenants/{tenant_id}/credentials', { params: { path } })),
  });
  const revoke = useMutation({
    mutationFn: (tokenId: string) =>
      unwrap(
        api.DELETE('/v1/tenants/{tenant_id}/credentials/{token_id}', {
          params: { path: { ...path, token_id: tokenId } },
        }),
      ),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['credentials', tenantId] }),
  });
  return (
    <section aria-labelledby="creds-title">
      <h2 id="creds-title">API credentials</h2>
      {revoke.error && <ErrorNote error={revoke.error} />}
      <QueryView query={creds} what="credentials">
        {(d) =>
          d.credentials.length === 0 ? (
            <Empty>No credential.</Empty>
          ) : (
            <TableScroll label="Credentials">
              <table data-testid="credentials">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Who</th>
                    <th scope="col">Role</th>
                    <th scope="col">Status</th>
                    <th scope="col">Expires</th>
                    <th scope="col">Last used</th>
                    <th scope="col">
                      <span className="visually-hidden">Revoke</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {d.credentials.map((c) => (
                    <tr key={c.token_id}>
                      <th scope="row">{c.name ?? c.token_id.slice(0, 8)}</th>
                      <td>{c.email ?? '—'}</td>
                      <td>{c.role}</td>
                      <td>{c.status}</td>
                      <td>{usDate(c.expires_at)}</td>
                      <td>{usDate(c.last_used_at)}</td>
                      <td>
                        {c.status === 'active' && (
                          <button
                            type="button"
                            className="secondary outline"
                            disabled={revoke.isPending}
                            onClick={() => revoke.mutate(c.token_id)}
                          >
                            Revoke {c.name ?? 'credential'}
                          </button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )
        }
      </QueryView>
    </section>
  );
}
