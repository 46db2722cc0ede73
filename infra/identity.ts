/**
 * Who signs staff in on AWS, decided once from the deployment settings (infra/config.ts) so the stateful
 * stack, the API's authorizer, the functions' environment and the pages' `/auth-config.json` agree:
 *
 * - `cognito` (default): the stateful stack's user pool, its hosted sign-in and the `officer` /
 *   `supervisor` groups; the gateway's authorizer is the user pool authorizer.
 * - `oidc`: any OpenID Connect issuer given by `oidcIssuerUrl` (its issuer URL or its discovery URL
 *   `…/.well-known/openid-configuration`) and `oidcClientId` — the AWS China regions, where Cognito User
 *   Pools are not offered, or a province's unified identity platform. No Cognito resource is deployed; the
 *   gateway's JWT authorizer and the handlers (functions/edge/staff.ts, JWKS from the discovery document)
 *   verify the issuer's access tokens; the pages sign in at the same issuer (authorization code + PKCE).
 * - `tokens`: opaque staff tokens only (scripts; `staffAuth=tokens`), no sign-in for the pages.
 */
import type { CertflowConfig } from './config.ts';

/** The discovery document's path under an issuer (OpenID Connect Discovery 1.0 §4). */
export const discoveryPath = '/.well-known/openid-configuration';

export type StaffIdentity =
  | { readonly kind: 'cognito' }
  | {
      readonly kind: 'oidc';
      /** The issuer exactly as in the tokens' `iss` (the discovery URL without its well-known path). */
      readonly issuer: string;
      readonly discoveryUrl: string;
      /** The pages' public client at the issuer (`client_id` claim of their access tokens). */
      readonly clientId: string;
      /** The `aud` the access tokens carry, if the issuer sets one. */
      readonly audience?: string;
    }
  | { readonly kind: 'tokens' };

/** The issuer of an `oidcIssuerUrl` setting: the URL itself, or the discovery URL without its path. */
export function issuerOf(url: string): string {
  const trimmed = url.endsWith(discoveryPath) ? url.slice(0, -discoveryPath.length) : url;
  return trimmed;
}

/** The staff identity of a deployment (see the module comment). */
export function staffIdentityOf(config: CertflowConfig): StaffIdentity {
  if (config.oidcIssuerUrl !== undefined && config.oidcClientId !== undefined) {
    const issuer = issuerOf(config.oidcIssuerUrl);
    return {
      kind: 'oidc',
      issuer,
      discoveryUrl: `${issuer.replace(/\/$/, '')}${discoveryPath}`,
      clientId: config.oidcClientId,
      ...(config.oidcAudience ? { audience: config.oidcAudience } : {}),
    };
  }
  if (config.staffAuth === 'oidc')
    throw new Error('staffAuth oidc needs oidcIssuerUrl and oidcClientId (infra/config.ts)');
  return { kind: config.staffAuth };
}
