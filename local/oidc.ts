/**
 * The local OpenID provider: `oidc-provider` (panva, OpenID Certified™) mounted on the gateway at
 * `/oidc`, so the issuer is `${gateway}/oidc` and `${issuer}/.well-known/openid-configuration` answers.
 *
 * - One public client, `certflow-console` (no secret, `token_endpoint_auth_method: none`): authorization
 *   code + PKCE S256 (oidc-provider requires PKCE for public clients), redirect URIs the console and the
 *   dashboard pages of the gateway.
 * - Accounts: the demo officer and supervisor (`DemoCredentials.staff`, passwords in
 *   demo-credentials.json). The login form is ours (`/oidc/interaction/{uid}`), the password compared in
 *   constant time; consent is implied for this first-party client.
 * - Access tokens are JWTs (RFC 9068, RS256) for the resource `STAFF_API_AUDIENCE`, valid
 *   `ACCESS_TOKEN_TTL_S`, carrying `username`, `groups` (`officer` | `supervisor`) and `stations` — the
 *   claims `functions/edge/staff.ts` reads on AWS and here alike.
 * - The signing key and cookie keys are kept in `DIR/oidc-keys.json` (mode 600) so tokens survive a
 *   restart; sessions and grants are in memory (a restart signs everyone out).
 */
import { createHash, generateKeyPairSync, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { writeJsonAtomic } from './credentials.ts';

/** The path the provider is mounted at on the gateway. */
export const OIDC_MOUNT = '/oidc';
/** The client id of the pages (a public client: no secret, PKCE). */
export const CONSOLE_CLIENT_ID = 'certflow-console';
/** The `aud` of staff access tokens (the API as a resource server, RFC 8707). */
export const STAFF_API_AUDIENCE = 'urn:certflow:api';
/** The scope that asks for a staff access token. */
export const STAFF_SCOPE = 'certflow.staff';
/** The scopes the pages ask for (an ID token for the logout hint, and the staff API). */
export const PAGES_SCOPE = `openid profile ${STAFF_SCOPE}`;
/** Access token lifetime, seconds (the pages sign out when it ends). */
export const ACCESS_TOKEN_TTL_S = 15 * 60;
/** Provider session lifetime, seconds (a sign-in lasts at most a working day). */
export const SESSION_TTL_S = 10 * 60 * 60;

export interface StaffAccount {
  username: string;
  password: string;
  group: 'officer' | 'supervisor';
  stations: readonly string[];
}

export interface LocalOidc {
  issuer: string;
  /** Handles `/oidc/…` requests; false for any other path. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
}

interface KeyFile {
  jwk: Record<string, unknown>;
  cookieKeys: string[];
}

async function loadOrCreateKeys(dataDir: string | undefined): Promise<KeyFile> {
  const file = dataDir ? join(dataDir, 'oidc-keys.json') : undefined;
  if (file) {
    try {
      return JSON.parse(await readFile(file, 'utf8')) as KeyFile;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig' };
  const keys: KeyFile = { jwk, cookieKeys: [randomBytes(32).toString('base64url')] };
  if (file) await writeJsonAtomic(file, keys);
  return keys;
}

function passwordMatches(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function loginPage(action: string, error?: string, username = ''): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>工作人员登录 Staff sign-in · certflow</title>
<style>body{font-family:system-ui,sans-serif;max-width:24rem;margin:3rem auto;padding:0 1rem}label{display:block;margin-top:1rem}input{width:100%;padding:.5rem;font-size:1rem;box-sizing:border-box}button{margin-top:1.5rem;padding:.6rem 1.2rem;font-size:1rem}.error{color:#a00}</style>
</head><body>
<h1>工作人员登录 <span lang="en">Staff sign-in</span></h1>
<p>certflow 本地身份提供方 <span lang="en">(local OpenID provider)</span></p>
${error ? `<p class="error" role="alert" id="login-error">${escapeHtml(error)}</p>` : ''}
<form method="post" action="${escapeHtml(action)}" autocomplete="off">
<label for="username">用户名 <span lang="en">Username</span></label>
<input id="username" name="username" required value="${escapeHtml(username)}" autocapitalize="none">
<label for="password">密码 <span lang="en">Password</span></label>
<input id="password" name="password" type="password" required>
<button type="submit" id="sign-in">登录 <span lang="en">Sign in</span></button>
</form></body></html>`;
}

function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > 16 * 1024) req.destroy(new Error('form too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
    'x-frame-options': 'DENY',
  });
  res.end(html);
}

/**
 * Starts the provider for `gatewayUrl` (its pages are the client's redirect URIs). Throws what
 * oidc-provider throws for a bad configuration.
 */
export async function start(options: {
  gatewayUrl: string;
  accounts: readonly StaffAccount[];
  dataDir?: string;
}): Promise<LocalOidc> {
  const issuer = `${options.gatewayUrl}${OIDC_MOUNT}`;
  const keys = await loadOrCreateKeys(options.dataDir);
  const accounts = new Map(options.accounts.map((a) => [a.username, a]));
  const pages = ['/console', '/dashboard'].map((p) => `${options.gatewayUrl}${p}`);

  const configuration: Configuration = {
    clients: [
      {
        client_id: CONSOLE_CLIENT_ID,
        client_name: 'certflow staff pages',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: pages,
        post_logout_redirect_uris: pages,
      },
    ],
    jwks: { keys: [keys.jwk as never] },
    // The pages call the token endpoint from the gateway's own origin; no other origin may.
    clientBasedCORS: (_ctx, origin) => origin === new URL(options.gatewayUrl).origin,
    cookies: { keys: keys.cookieKeys },
    claims: { openid: ['sub'], profile: ['name', 'preferred_username'] },
    scopes: ['openid', 'profile'],
    ttl: {
      AccessToken: ACCESS_TOKEN_TTL_S,
      AuthorizationCode: 60,
      IdToken: ACCESS_TOKEN_TTL_S,
      Interaction: 10 * 60,
      Session: SESSION_TTL_S,
      Grant: SESSION_TTL_S,
    },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        // Bilingual confirmation; `form` is the provider's hidden form (xsrf token) the buttons submit.
        logoutSource: async (ctx, form) => {
          ctx.type = 'html';
          ctx.body = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>退出登录 Sign out · certflow</title></head><body>
<h1>退出登录？ <span lang="en">Sign out?</span></h1>${form}
<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout" id="confirm-sign-out">退出 <span lang="en">Sign out</span></button>
<button type="submit" form="op.logoutForm">保持登录 <span lang="en">Stay signed in</span></button></body></html>`;
        },
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => STAFF_API_AUDIENCE,
        useGrantedResource: async () => true,
        getResourceServerInfo: async () => ({
          scope: STAFF_SCOPE,
          audience: STAFF_API_AUDIENCE,
          accessTokenFormat: 'jwt',
          accessTokenTTL: ACCESS_TOKEN_TTL_S,
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
    interactions: { url: async (_ctx, interaction) => `${OIDC_MOUNT}/interaction/${interaction.uid}` },
    findAccount: async (_ctx, sub) => {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return {
        accountId: sub,
        claims: async () => ({ sub, name: sub, preferred_username: sub }),
      };
    },
    extraTokenClaims: async (_ctx, token) => {
      const account = 'accountId' in token ? accounts.get(String(token.accountId)) : undefined;
      if (!account) return undefined;
      return { username: account.username, groups: [account.group], stations: [...account.stations] };
    },
    // The pages are first-party: consent to their own scopes and the staff API is implied.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const client = ctx.oidc.client;
      const session = ctx.oidc.session;
      if (!client || !session?.accountId) return undefined;
      const grantId = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      if (grantId) {
        const found = await ctx.oidc.provider.Grant.find(grantId);
        if (found) return found;
      }
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope('openid profile');
      grant.addResourceScope(STAFF_API_AUDIENCE, STAFF_SCOPE);
      await grant.save();
      return grant;
    },
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      ctx.body = `<!doctype html><meta charset="utf-8"><title>登录出错 Sign-in error</title><h1>登录出错 <span lang="en">Sign-in error</span></h1><pre>${escapeHtml(
        `${out.error}: ${out.error_description ?? ''}`,
      )}</pre>`;
    },
  };
  const provider = new Provider(issuer, configuration);
  const callback = provider.callback();

  const interaction = async (req: IncomingMessage, res: ServerResponse, uid: string, post: boolean) => {
    const action = `${OIDC_MOUNT}/interaction/${encodeURIComponent(uid)}`;
    let details: Awaited<ReturnType<typeof provider.interactionDetails>>;
    try {
      details = await provider.interactionDetails(req, res);
    } catch {
      return sendHtml(
        res,
        400,
        loginPage(action, '登录已过期，请从页面重新登录。 The sign-in expired: start again from the page.'),
      );
    }
    if (details.prompt.name !== 'login') {
      // Consent is implied (loadExistingGrant); any other prompt resumes the flow.
      return provider.interactionFinished(req, res, {}, { mergeWithLastSubmission: true });
    }
    if (!post) return sendHtml(res, 200, loginPage(action));
    const form = await readForm(req);
    const username = form.get('username')?.trim() ?? '';
    const account = accounts.get(username);
    if (!account || !passwordMatches(form.get('password') ?? '', account.password)) {
      return sendHtml(
        res,
        401,
        loginPage(action, '用户名或密码不正确。 Username or password is not right.', username),
      );
    }
    return provider.interactionFinished(req, res, { login: { accountId: username } });
  };

  return {
    issuer,
    handle(req, res) {
      const url = req.url ?? '/';
      if (url !== OIDC_MOUNT && !url.startsWith(`${OIDC_MOUNT}/`) && !url.startsWith(`${OIDC_MOUNT}?`))
        return false;
      const path = url.split('?')[0]!;
      const match = path.match(/^\/oidc\/interaction\/([A-Za-z0-9_-]{1,64})$/);
      if (match) {
        const post = req.method === 'POST';
        if (!post && req.method !== 'GET') return false;
        interaction(req, res, match[1]!, post).catch((error: unknown) => {
          if (!res.headersSent) sendHtml(res, 500, `<p>${escapeHtml(String(error))}</p>`);
        });
        return true;
      }
      // oidc-provider finds its mount path from originalUrl (lib/helpers/oidc_context.js).
      (req as IncomingMessage & { originalUrl?: string }).originalUrl = url;
      req.url = url.slice(OIDC_MOUNT.length) || '/';
      callback(req, res);
      return true;
    },
  };
}
