/** Helpers shared by the use cases that change a request: read-decide-write with the version check. */
import { VersionConflictError } from '#shared/store/errors.ts';
import type { RequestRecord } from '#shared/store/model.ts';
import type { NewEvent } from '#shared/store/port.ts';
import type { Deps } from '../deps.ts';
import { RequestNotFoundError } from './errors.ts';

export function nowIso(deps: Deps): string {
  return new Date(deps.clock.now()).toISOString();
}

export async function loadRequest(deps: Deps, requestId: string): Promise<RequestRecord> {
  const request = await deps.store.getRequest(requestId);
  if (!request) throw new RequestNotFoundError(`request ${requestId} does not exist`);
  return request;
}

export type Change = { changes: Partial<RequestRecord>; event: NewEvent } | undefined;

/**
 * Reads the request, asks `decide` what to change (undefined: nothing, e.g. already done), writes it
 * conditionally, and on a concurrent change reads again and re-decides (a few times, then the
 * VersionConflictError goes to the caller, whose workflow step retries it).
 */
export async function changeRequest(
  deps: Deps,
  requestId: string,
  decide: (request: RequestRecord) => Change | Promise<Change>,
  /** A fresh read of the request, to save the first GetItem. */
  firstRead?: RequestRecord,
): Promise<RequestRecord> {
  for (let attempt = 0; ; attempt += 1) {
    const current = attempt === 0 && firstRead ? firstRead : await loadRequest(deps, requestId);
    const change = await decide(current);
    if (change === undefined) return current;
    try {
      return await deps.store.updateRequest(current, change.changes, change.event, nowIso(deps));
    } catch (error) {
      if (!(error instanceof VersionConflictError) || attempt >= 4) throw error;
    }
  }
}
