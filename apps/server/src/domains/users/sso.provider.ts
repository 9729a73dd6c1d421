/**
 * The OpenID Connect client side (openid-client): discovery (cached a few minutes per provider and client), the
 * authorization URL with PKCE, state and nonce, and the code exchange. ID tokens are always signature-checked
 * (`enableNonRepudiationChecks`), even from the token endpoint: a tampered token is refused. Plain http is allowed
 * only for a provider on loopback (tests, a local provider).
 */
import * as oidc from 'openid-client';
import { AppError } from '../../errors.ts';

const CACHE_MS = 5 * 60_000;
const cache = new Map<string, { config: oidc.Configuration; until: number }>();

export interface ProviderSettings {
  issuer: string;
  client_id: string;
  client_secret: string;
}

function loopback(url: URL): boolean {
  return ['127.0.0.1', 'localhost', '[::1]', '::1'].includes(url.hostname);
}

export async function discover(s: ProviderSettings): Promise<oidc.Configuration> {
  const key = `${s.issuer}\n${s.client_id}\n${s.client_secret}`;
  const hit = cache.get(key);
  if (hit && hit.until > Date.now()) return hit.config;
  const issuer = new URL(s.issuer);
  if (issuer.protocol !== 'https:' && !loopback(issuer))
    throw new AppError('VALIDATION', 'issuer: must be an https URL (http only on loopback)', { field: 'issuer' });
  let config: oidc.Configuration;
  try {
    config = await oidc.discovery(issuer, s.client_id, s.client_secret, undefined, {
      ...(issuer.protocol === 'http:' ? { execute: [oidc.allowInsecureRequests] } : {}),
      timeout: 10,
    });
  } catch (err) {
    throw new AppError(
      'UPSTREAM_FAILED',
      `the OpenID provider ${s.issuer} did not answer discovery: ${(err as Error).message}`,
      {
        field: 'issuer',
      },
    );
  }
  oidc.enableNonRepudiationChecks(config);
  cache.set(key, { config, until: Date.now() + CACHE_MS });
  return config;
}

export interface Started {
  url: string;
  nonce: string;
  codeVerifier: string;
}

export async function authorizationUrl(
  config: oidc.Configuration,
  redirectUri: string,
  state: string,
): Promise<Started> {
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: 'openid email profile',
    response_type: 'code',
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  return { url: url.href, nonce, codeVerifier };
}

/**
 * Exchanges the code from the callback URL and returns the verified e-mail (from the ID token, else from userinfo).
 * Any failure of the checks (state, nonce, PKCE, signature, issuer, audience, expiry) is UNAUTHENTICATED.
 */
export async function verifiedEmail(
  config: oidc.Configuration,
  callbackUrl: URL,
  checks: { state: string; nonce: string; codeVerifier: string; redirectUri: string },
): Promise<{ email: string; subject: string }> {
  let claims: oidc.IDToken | undefined;
  let accessToken: string;
  try {
    const tokens = await oidc.authorizationCodeGrant(
      config,
      callbackUrl,
      {
        pkceCodeVerifier: checks.codeVerifier,
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        idTokenExpected: true,
      },
      { redirect_uri: checks.redirectUri },
    );
    claims = tokens.claims();
    accessToken = tokens.access_token;
  } catch (err) {
    throw new AppError('UNAUTHENTICATED', `single sign-on refused: ${(err as Error).message}`);
  }
  if (!claims) throw new AppError('UNAUTHENTICATED', 'single sign-on refused: the provider sent no ID token');
  let email = claims['email'];
  let verified = claims['email_verified'];
  if (typeof email !== 'string') {
    try {
      const info = await oidc.fetchUserInfo(config, accessToken, claims.sub);
      email = info.email;
      verified = info.email_verified;
    } catch (err) {
      throw new AppError('UNAUTHENTICATED', `single sign-on refused: userinfo failed: ${(err as Error).message}`);
    }
  }
  if (typeof email !== 'string' || !email.includes('@'))
    throw new AppError('UNAUTHENTICATED', 'single sign-on refused: the provider gave no e-mail address');
  if (verified !== true)
    throw new AppError('UNAUTHENTICATED', `single sign-on refused: the provider has not verified ${email}`);
  return { email: email.toLowerCase(), subject: claims.sub };
}
