/**
 * Where a request's access token lives. The status link carries it in the URL fragment
 * (`/requests/{id}#token=…`): a fragment is never sent to a server, never appears in access logs or
 * Referer headers, yet the citizen can bookmark the link and come back days later (an investigation takes
 * up to the policy's deadline, working days). The page also keeps it in sessionStorage so the tab survives a reload even if
 * the fragment is dropped. Staff sign in with OpenID Connect instead (lib/oidc.ts).
 */
const PREFIX = 'certflow.request.';

export function rememberToken(requestId: string, token: string): void {
  try {
    sessionStorage.setItem(PREFIX + requestId, token);
  } catch {
    // storage disabled: the fragment still carries it
  }
}

export function recallToken(requestId: string): string | undefined {
  try {
    return sessionStorage.getItem(PREFIX + requestId) ?? undefined;
  } catch {
    return undefined;
  }
}

export function statusLink(requestId: string, token: string): string {
  return `/requests/${encodeURIComponent(requestId)}#token=${encodeURIComponent(token)}`;
}

export function tokenFromFragment(): string | undefined {
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  return token || undefined;
}

export type Role = 'officer' | 'supervisor';
