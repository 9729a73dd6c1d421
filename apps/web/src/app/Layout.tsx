/** The signed-in frame: the navigation for the person's role, who is signed in, and sign-out. */
import type { ReactNode } from 'react';
import { Link } from 'wouter';
import { isStaff, useSignOut } from '../api/session';
import type { WhoAmI } from '../api/views';

export function Layout({ me, children }: { me: WhoAmI; children: ReactNode }) {
  const signOut = useSignOut();
  const staff = isStaff(me);
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
            {!staff && (
              <li>
                <Link href="/storms">Storms</Link>
              </li>
            )}
            {!staff && me.role === 'admin' && (
              <li>
                <Link href="/billing">Billing</Link>
              </li>
            )}
            {staff && (
              <li>
                <Link href="/customer-health">Customer health</Link>
              </li>
            )}
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
