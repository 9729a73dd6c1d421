/** Invitation and reset links: built on the public URL, e-mailed when SMTP is set, else handed back to show. */
import type { SignInDeps } from './mailer.ts';

export const INVITATION_DAYS = 7;
export const RESET_MINUTES = 60;

const base = (deps: SignInDeps) => deps.publicUrl ?? 'http://127.0.0.1:3000';

export function invitationLink(deps: SignInDeps, token: string): string {
  return `${base(deps)}/accept-invite?token=${encodeURIComponent(token)}`;
}

export function resetLink(deps: SignInDeps, token: string): string {
  return `${base(deps)}/reset-password?token=${encodeURIComponent(token)}`;
}

/**
 * Sends a link by e-mail when a mailer is set. Returns how it went: `email`, or `shown` with the link for the admin
 * to pass on (no SMTP, or the send failed: the reason is returned too).
 */
export async function deliver(
  deps: SignInDeps,
  mail: { to: string; subject: string; text: string; link: string },
): Promise<{ delivery: 'email' | 'shown'; link?: string; mail_error?: string }> {
  if (!deps.mailer) return { delivery: 'shown', link: mail.link };
  try {
    await deps.mailer.send({ to: mail.to, subject: mail.subject, text: mail.text });
    return { delivery: 'email' };
  } catch (err) {
    return { delivery: 'shown', link: mail.link, mail_error: (err as Error).message };
  }
}
