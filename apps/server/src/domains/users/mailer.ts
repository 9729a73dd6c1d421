/**
 * How invitation and reset links reach people: by e-mail through SMTP (nodemailer) when SMTP_URL is set; otherwise
 * the link is handed back to the admin who asked (CLI output, API response) to pass on.
 */
import nodemailer from 'nodemailer';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
}

export interface SignInDeps {
  /** Absent: links are shown to the admin instead of sent. */
  readonly mailer?: Mailer;
  /** Where people open links (the web app), e.g. https://app.example.com; unset: the origin of the request. */
  readonly publicUrl?: string;
}

export function smtpMailer(url: string, from: string): Mailer {
  const transport = nodemailer.createTransport(url);
  return {
    async send(mail) {
      await transport.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text });
    },
  };
}

/** From the configuration: the CLI (no request) falls back to http://HOST:PORT for links. */
export function signInDepsFrom(config: {
  smtpUrl: string | undefined;
  mailFrom: string;
  publicUrl: string | undefined;
  host?: string | undefined;
  port?: number | undefined;
}): SignInDeps {
  const fallback = config.host ? `http://${config.host}:${config.port ?? 3000}` : undefined;
  const publicUrl = config.publicUrl ?? fallback;
  return {
    ...(publicUrl ? { publicUrl } : {}),
    ...(config.smtpUrl ? { mailer: smtpMailer(config.smtpUrl, config.mailFrom) } : {}),
  };
}

export const NO_MAIL: SignInDeps = {};
