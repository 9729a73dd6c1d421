/**
 * A real OpenID provider (the `oidc-provider` package) on loopback for the single sign-on tests, with a scripted
 * person who "signs in" at it (the interaction is finished for the account the test chose) and a switch that
 * tampers with the ID token the token endpoint returns (a claim changed, the signature kept), as a man in the
 * middle would. Also a tiny browser: follows redirects across origins, keeping each origin's cookies.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export interface Person {
  sub: string;
  email: string;
  email_verified: boolean;
}

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The person who signs in next. */
  signInAs(person: Person): void;
  /** When set, the next ID tokens have this claim changed (signature untouched). */
  tamper(claims: Record<string, unknown> | undefined): void;
  close(): Promise<void>;
}

export async function startTestProvider(redirectUri: string): Promise<TestProvider> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const people = new Map<string, Person>();
  let current: Person | undefined;
  let tampering: Record<string, unknown> | undefined;
  const clientId = 'stormops-test';
  const clientSecret = 'a-test-client-secret-0123456789';
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    findAccount: async (_ctx: unknown, id: string) => {
      const p = people.get(id);
      return p ? { accountId: id, claims: async () => ({ ...p }) } : undefined;
    },
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    cookies: { keys: ['test-cookie-key-0123456789abcdef'] },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
  });
  const handle = provider.callback();
  server.on('request', (req, res) => {
    void (async () => {
      if (req.url?.startsWith('/interaction/')) {
        const details = await provider.interactionDetails(req, res);
        if (details.prompt.name === 'login') {
          if (!current) throw new Error('no person to sign in as');
          people.set(current.sub, current);
          return provider.interactionFinished(
            req,
            res,
            { login: { accountId: current.sub } },
            { mergeWithLastSubmission: false },
          );
        }
        const grant = new provider.Grant({
          accountId: String(details.session?.accountId),
          clientId: String(details.params['client_id']),
        });
        grant.addOIDCScope(String(details.params['scope']));
        return provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } });
      }
      if (tampering && req.url?.startsWith('/token')) tamperResponse(res, tampering);
      handle(req, res);
    })().catch((err: unknown) => {
      res.statusCode = 500;
      res.end(String(err));
    });
  });
  return {
    issuer,
    clientId,
    clientSecret,
    signInAs: (p) => void (current = p),
    tamper: (c) => void (tampering = c),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Rewrites the JSON body's id_token: its payload with `claims` merged in, header and signature kept. */
function tamperResponse(res: ServerResponse, claims: Record<string, unknown>): void {
  const end = res.end.bind(res) as (chunk?: unknown) => ServerResponse;
  res.end = ((chunk?: unknown) => {
    const text = Buffer.isBuffer(chunk) ? chunk.toString('utf8') : typeof chunk === 'string' ? chunk : '';
    try {
      const body = JSON.parse(text) as { id_token?: string };
      if (body.id_token) {
        const [h, p, s] = body.id_token.split('.') as [string, string, string];
        const payload = { ...JSON.parse(Buffer.from(p, 'base64url').toString('utf8')), ...claims };
        body.id_token = `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
        const out = JSON.stringify(body);
        res.setHeader('content-length', Buffer.byteLength(out));
        return end(out);
      }
    } catch {
      // not JSON: pass it on unchanged
    }
    return end(chunk);
  }) as typeof res.end;
}

/** A browser for redirects: cookies per origin, following Location across origins up to a bound. */
export class TestBrowser {
  readonly jar = new Map<string, Map<string, string>>();

  cookie(origin: string, name: string): string | undefined {
    return this.jar.get(origin)?.get(name);
  }

  setCookie(origin: string, name: string, value: string): void {
    const j = this.jar.get(origin) ?? new Map<string, string>();
    j.set(name, value);
    this.jar.set(origin, j);
  }

  async get(url: string): Promise<Response> {
    const u = new URL(url);
    const cookies = [...(this.jar.get(u.origin) ?? new Map<string, string>())].map(([k, v]) => `${k}=${v}`).join('; ');
    const r = await fetch(u, { redirect: 'manual', ...(cookies ? { headers: { cookie: cookies } } : {}) });
    for (const line of r.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = (pair ?? '').indexOf('=');
      const name = (pair ?? '').slice(0, eq).trim();
      const value = (pair ?? '').slice(eq + 1).trim();
      const expired = attrs.some((a) => /expires=thu, 01 jan 1970/i.test(a.trim()) || /^max-age=0$/i.test(a.trim()));
      if (expired || value === '') this.jar.get(u.origin)?.delete(name);
      else this.setCookie(u.origin, name, value);
    }
    return r;
  }

  /** Follows redirects from `url` until a response that is not one, or until `stopAt` matches the next URL. */
  async follow(
    url: string,
    stopAt?: (next: URL) => boolean,
  ): Promise<{ response: Response; url: string; hops: string[] }> {
    let next = url;
    const hops: string[] = [];
    for (let i = 0; i < 20; i++) {
      const r = await this.get(next);
      const location = r.headers.get('location');
      if (r.status < 300 || r.status >= 400 || !location) return { response: r, url: next, hops };
      const to = new URL(location, next);
      hops.push(to.href);
      if (stopAt?.(to)) return { response: r, url: to.href, hops };
      next = to.href;
    }
    throw new Error(`too many redirects: ${hops.join(' -> ')}`);
  }
}
