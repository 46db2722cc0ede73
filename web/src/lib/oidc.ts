/**
 * Staff sign-in of the pages: OpenID Connect authorization code flow with PKCE for a public client
 * (RFC 6749 §4.1, RFC 7636 S256, OpenID Connect Core 1.0 §3.1, RP-Initiated Logout 1.0). The issuer and
 * client come from `/auth-config.json` (`{ issuer, clientId, scope }`: the local stack's provider, or the
 * Cognito user pool / the configured issuer on AWS); its endpoints from the issuer's discovery document.
 *
 * - The code verifier and `state` live in sessionStorage between the redirect and the callback; the
 *   callback checks `state` and `iss` (RFC 9207) before the code is exchanged.
 * - The session (`{ accessToken, idToken, expiresAt }`, epoch ms) lives in sessionStorage only (gone
 *   when the tab closes) and ends at the access token's expiry: `session()` is undefined after it.
 * - Sign-out forgets the session and ends the provider's session (end_session_endpoint, back to the page).
 *
 * Kept small on purpose (≈ 2 KB minified) instead of oidc-client-ts (≈ 50 KB): the pages need one flow, no
 * silent renew, no ID-token validation (the API verifies the access token; the ID token is only the
 * logout hint).
 */
import type { Role } from './tokens.ts';

export interface AuthConfig {
  issuer: string;
  clientId: string;
  scope: string;
}

interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  end_session_endpoint?: string;
}

export interface StaffSession {
  accessToken: string;
  idToken?: string;
  /** Epoch ms at which the access token ends. */
  expiresAt: number;
}

const PENDING = 'certflow.oidc.pending';
const sessionKey = (role: Role) => `certflow.oidc.${role}`;

function store(key: string, value: unknown): void {
  try {
    if (value === undefined) sessionStorage.removeItem(key);
    else sessionStorage.setItem(key, JSON.stringify(value));
  } catch {
    // storage disabled: the sign-in lasts as long as the page
  }
}

function load<T>(key: string): T | undefined {
  try {
    const text = sessionStorage.getItem(key);
    return text ? (JSON.parse(text) as T) : undefined;
  } catch {
    return undefined;
  }
}

const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

function randomString(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

let config: Promise<{ auth: AuthConfig; discovery: Discovery }> | undefined;

/** The issuer configuration and its discovery document (fetched once per page). */
function issuer(): Promise<{ auth: AuthConfig; discovery: Discovery }> {
  config ??= (async () => {
    const auth = (await (await fetch('/auth-config.json')).json()) as AuthConfig;
    const response = await fetch(`${auth.issuer}/.well-known/openid-configuration`);
    if (!response.ok) throw new Error(`discovery ${response.status}`);
    const discovery = (await response.json()) as Discovery;
    if (discovery.issuer !== auth.issuer) throw new Error('discovery names another issuer');
    return { auth, discovery };
  })();
  config.catch(() => {
    config = undefined;
  });
  return config;
}

/** This page's address without query or fragment: the redirect URI registered for the client. */
function redirectUri(): string {
  return `${location.origin}${location.pathname}`;
}

/** The signed-in session of `role`, or undefined (never signed in, signed out, or expired). */
export function session(role: Role, now = Date.now()): StaffSession | undefined {
  const s = load<StaffSession>(sessionKey(role));
  if (!s) return undefined;
  if (s.expiresAt <= now) {
    store(sessionKey(role), undefined);
    return undefined;
  }
  return s;
}

/** Sends the browser to the provider's sign-in (never returns normally). */
export async function beginSignIn(role: Role): Promise<void> {
  const { auth, discovery } = await issuer();
  const verifier = randomString();
  const state = randomString();
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  // The page's own query (e.g. `?station=`) comes back after the redirect.
  store(PENDING, { role, verifier, state, redirectUri: redirectUri(), query: location.search });
  const url = new URL(discovery.authorization_endpoint);
  url.search = new URLSearchParams({
    client_id: auth.clientId,
    response_type: 'code',
    redirect_uri: redirectUri(),
    scope: auth.scope,
    state,
    code_challenge: base64url(digest),
    code_challenge_method: 'S256',
    // A counter workstation is shared: every sign-in asks for the password, another person's session
    // at the provider is never reused (OpenID Connect Core §3.1.2.1).
    prompt: 'login',
  }).toString();
  location.assign(url.toString());
}

export type CallbackResult =
  | { kind: 'none' }
  | { kind: 'signed-in'; session: StaffSession }
  | { kind: 'error'; error: string };

/**
 * Finishes a sign-in when the page was opened by the provider's redirect (`?code=…&state=…`, or
 * `?error=…`); the address gets back the query it had before the sign-in either way.
 */
export async function completeSignIn(role: Role): Promise<CallbackResult> {
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  const error = params.get('error');
  if (!code && !error) return { kind: 'none' };
  const state = params.get('state');
  const iss = params.get('iss');
  const pending = load<{ role: Role; verifier: string; state: string; redirectUri: string; query?: string }>(
    PENDING,
  );
  store(PENDING, undefined);
  history.replaceState(null, '', `${location.pathname}${pending?.query ?? ''}`);
  if (error) return { kind: 'error', error };
  if (!pending || pending.role !== role || pending.state !== state) return { kind: 'error', error: 'state' };
  const { auth } = await issuer();
  if (iss !== null && iss !== auth.issuer) return { kind: 'error', error: 'iss' };
  return exchange(role, code!, pending);
}

/** Exchanges the code for the tokens at the token endpoint and keeps the session. */
async function exchange(
  role: Role,
  code: string,
  pending: { verifier: string; redirectUri: string },
): Promise<CallbackResult> {
  const { auth, discovery } = await issuer();
  const response = await fetch(discovery.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: pending.redirectUri,
      client_id: auth.clientId,
      code_verifier: pending.verifier,
    }).toString(),
  });
  const body = (await response.json().catch(() => ({}))) as {
    access_token?: string;
    id_token?: string;
    expires_in?: number;
    error?: string;
  };
  if (!response.ok || !body.access_token)
    return { kind: 'error', error: body.error ?? `token ${response.status}` };
  const s: StaffSession = {
    accessToken: body.access_token,
    ...(body.id_token ? { idToken: body.id_token } : {}),
    expiresAt: Date.now() + (body.expires_in ?? 300) * 1000,
  };
  store(sessionKey(role), s);
  return { kind: 'signed-in', session: s };
}

/** Forgets the session; with `atProvider`, also ends the provider's session and comes back here. */
export async function signOut(role: Role, atProvider: boolean): Promise<void> {
  const s = load<StaffSession>(sessionKey(role));
  store(sessionKey(role), undefined);
  if (!atProvider) return;
  const { auth, discovery } = await issuer();
  if (!discovery.end_session_endpoint) return;
  const url = new URL(discovery.end_session_endpoint);
  url.search = new URLSearchParams({
    client_id: auth.clientId,
    post_logout_redirect_uri: redirectUri(),
    ...(s?.idToken ? { id_token_hint: s.idToken } : {}),
  }).toString();
  location.assign(url.toString());
}
