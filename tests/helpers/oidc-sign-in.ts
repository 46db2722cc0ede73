/**
 * Signs a demo staff member in at the local OpenID provider the way a browser does, over fetch: discovery,
 * authorization request with PKCE S256, the provider's login form, the code exchanged at the token
 * endpoint (RFC 6749 §4.1, RFC 7636). Cookies are carried by hand between the provider's redirects.
 */
import { createHash, randomBytes } from 'node:crypto';

export const CONSOLE_REDIRECT_PATH = '/console';

export interface SignInResult {
  status: 'signed-in';
  accessToken: string;
  idToken: string;
  expiresIn: number;
}

function cookieJar() {
  const jar = new Map<string, string>();
  return {
    store(response: Response) {
      for (const line of response.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const eq = pair!.indexOf('=');
        jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
      }
    },
    header: () => [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
  };
}

/** The authorization code flow for `username`; `{ status: 'rejected', code }` when the login form refuses. */
export async function signInWithPassword(
  gatewayUrl: string,
  issuer: string,
  username: string,
  password: string,
  options: { pkce?: boolean } = {},
): Promise<SignInResult | { status: 'rejected'; code: number; body: string }> {
  const discovery = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as {
    authorization_endpoint: string;
    token_endpoint: string;
  };
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const redirectUri = `${gatewayUrl}${CONSOLE_REDIRECT_PATH}`;
  const state = randomBytes(8).toString('hex');
  const authorize = new URL(discovery.authorization_endpoint);
  authorize.search = new URLSearchParams({
    client_id: 'certflow-console',
    response_type: 'code',
    redirect_uri: redirectUri,
    scope: 'openid profile certflow.staff',
    state,
    ...(options.pkce === false ? {} : { code_challenge: challenge, code_challenge_method: 'S256' }),
  }).toString();
  const jar = cookieJar();
  let response = await fetch(authorize, { redirect: 'manual' });
  jar.store(response);
  let location = response.headers.get('location');
  if (!location) return { status: 'rejected', code: response.status, body: await response.text() };
  // An authorization request the provider refuses comes straight back with `error` (RFC 6749 §4.1.2.1).
  if (location.startsWith(redirectUri))
    return {
      status: 'rejected',
      code: response.status,
      body: new URL(location).searchParams.get('error') ?? '',
    };
  const loginUrl = new URL(location, issuer);
  response = await fetch(loginUrl, { headers: { cookie: jar.header() } });
  jar.store(response);
  response = await fetch(loginUrl, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password }).toString(),
  });
  jar.store(response);
  if (response.status !== 303)
    return { status: 'rejected', code: response.status, body: await response.text() };
  // Follow the provider's redirects (resume → maybe consent → back to the client) until the redirect URI.
  location = response.headers.get('location');
  for (let hop = 0; hop < 6 && location && !location.startsWith(redirectUri); hop++) {
    response = await fetch(new URL(location, issuer), {
      redirect: 'manual',
      headers: { cookie: jar.header() },
    });
    jar.store(response);
    location = response.headers.get('location');
  }
  if (!location?.startsWith(redirectUri)) throw new Error(`sign-in did not come back: ${response.status}`);
  const back = new URL(location);
  if (back.searchParams.get('state') !== state) throw new Error('state mismatch');
  const code = back.searchParams.get('code');
  if (!code) throw new Error(`no code: ${back.search}`);
  const token = await fetch(discovery.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      client_id: 'certflow-console',
      code_verifier: verifier,
    }).toString(),
  });
  const json = (await token.json()) as { access_token: string; id_token: string; expires_in: number };
  if (!token.ok) throw new Error(`token endpoint ${token.status}: ${JSON.stringify(json)}`);
  return {
    status: 'signed-in',
    accessToken: json.access_token,
    idToken: json.id_token,
    expiresIn: json.expires_in,
  };
}
