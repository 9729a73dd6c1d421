/** The signed-in frame: the navigation for the person's role, who is signed in, and sign-out. */
import type { ReactNode } from 'react';
import { Link } from 'wouter';
import { isStaff, useSignOut } from '../api/session';
import type { WhoAmI } from '../api/types';

export function Layout({ me, children }: { me: WhoAmI; children: ReactNode }) {
  const signOut = useSignOut();
  const staff = isStaff(me);
  const can = (a: string) => (me.permissions as readonly string[] | undefined)?.includes(a) ?? false;
  const links: [string, string, boolean][] = [
    ['/storms', 'Storms', !staff && can('properties:read')],
    ['/canvass', 'My doors', !staff && can('knocks:write')],
    ['/models', 'Models', !staff && can('models:read')],
    ['/team', 'Team', !staff && can('users:admin')],
    ['/audit', 'Audit log', can('audit:read')],
    ['/billing', 'Billing', !staff && can('billing:own')],
    ['/customer-health', 'Customer health', staff && can('billing:read')],
    ['/slo', 'SLOs', can('platform:health')],
  ];
  return (
    <>
      <header className="container">
        <nav aria-label="Main">
          <ul>
            <li>
              <strong>StormOps</strong>
            </li>
          </ul>
          <ul>
            {links
              .filter(([, , shown]) => shown)
              .map(([href, label]) => (
                <li key={href}>
                  <Link href={href}>{label}</Link>
                </li>
              ))}
            <li>
              <span title="signed in as">{me.role}</span>
            </li>
            <li>
              <button type="button" className="secondary outline" onClick={() => void signOut()}>
                Sign out
              </button>
            </li>
          </ul>
        </nav>
      </header>
      <main className="container">{children}</main>
    </>
  );
}
