/**
 * GET /v1/requests/{requestId} — status, decision, certificate and history (the audit trail).
 * Needs the request's access token, or an officer's / supervisor's token acting for its station; a
 * request the caller may not see is 404, like one that does not exist.
 *
 * Staff (officer, supervisor) also get `input`: the facts as filed (subject, related person, event,
 * applicant, purpose, askedBy), every ID number masked (`filedFacts`, shared/domain/request.ts), for the officer console. The
 * citizen's view (access token) leaves them out: the citizen filed them, and a status link that is
 * forwarded or leaked should not carry names, phone numbers and relations.
 */

import { deriveVerificationCode } from '#shared/certificates/ids-and-codes.ts';
import { filedFacts } from '#shared/domain/request.ts';
import { notFound } from '#shared/http/problem.ts';
import type { Station } from '#shared/registry/registry.ts';
import type { RequestView } from '#shared/schemas/responses.ts';
import type { CertificateRef, RequestEvent, RequestRecord } from '#shared/store/model.ts';
import { type Deps, lazyHandler } from '../deps.ts';
import { requireRequestAccess } from '../edge/auth.ts';
import { HttpError, httpHandler, json } from '../edge/http.ts';
import { staffDeps } from '../edge/staff-deps.ts';

const REQUEST_ID = /^[0-9A-Za-z_-]{1,100}$/;

/** A printed document (certificate or written reply) as its holder sees it: number, code, full text. */
export function documentView(deps: Deps, ref: CertificateRef | undefined) {
  if (!ref) return undefined;
  const { number, issuedAt, issuedBy } = ref;
  const verificationCode = deriveVerificationCode(deps.config.tokenSecret, number);
  return {
    number,
    verificationCode,
    issuedAt,
    issuedBy,
    ...(ref.title ? { title: ref.title } : {}),
    ...(ref.statement ? { statement: ref.statement } : {}),
    links: { verify: `${deps.config.publicBaseUrl}/v1/certificates/${number}?code=${verificationCode}` },
  };
}

export function certificateView(deps: Deps, request: RequestRecord) {
  return documentView(deps, request.certificate);
}

/** Audit events only staff see (they name officers and their reasons). */
const STAFF_ONLY_EVENTS: readonly RequestEvent['type'][] = ['ASSIGNED', 'PERSONAL_DATA_REVEALED'];

export function requestView(
  deps: Deps,
  request: RequestRecord,
  history: RequestEvent[],
  options: { staff?: boolean; station?: Station } = {},
): RequestView {
  const d = request.decision;
  return {
    requestId: request.requestId,
    proof: request.proof,
    status: request.status,
    ...(options.staff ? { input: filedFacts(request.input) } : {}),
    ...(d
      ? {
          decision: {
            outcome: d.outcome,
            ruleId: d.ruleId,
            policyVersion: d.policyVersion,
            basis: d.basis,
            reason: d.reason,
            guidance: d.guidance,
            ...(d.heldBy ? { heldBy: d.heldBy } : {}),
            ...(d.exchange
              ? { exchange: { department: d.exchange.department, question: d.exchange.question } }
              : {}),
            ...(d.commitment
              ? { commitment: { department: d.commitment.department, text: d.commitment.text } }
              : {}),
          },
        }
      : {}),
    ...(request.station ? { station: request.station } : {}),
    // Where the citizen goes, from the registry's station data: name, address, hours — never the code.
    ...(options.station
      ? {
          stationInfo: {
            name: options.station.name,
            ...(options.station.address ? { address: options.station.address } : {}),
            ...(options.station.hours ? { hours: options.station.hours } : {}),
          },
        }
      : {}),
    ...filingView(request),
    acceptedAt: request.acceptedAt,
    ...(request.finishedAt ? { finishedAt: request.finishedAt } : {}),
    ...(request.deadline
      ? { deadline: request.deadline, deadlineProvisional: request.deadlineProvisional === true }
      : {}),
    escalationLevel: request.escalationLevel,
    ...(request.certificate ? { certificate: certificateView(deps, request) } : {}),
    ...(request.writtenReply ? { writtenReply: documentView(deps, request.writtenReply) } : {}),
    ...(request.finding
      ? {
          finding: {
            outcome: request.finding.outcome,
            note: request.finding.note,
            at: request.finding.at,
            ...(options.staff ? { by: request.finding.by } : {}),
          },
        }
      : {}),
    // Staff ids are for staff: the citizen's view names no actor and no reporter, and leaves out the
    // console's casework events (who was assigned, who saw full ID numbers and why).
    history: history
      .filter((e) => options.staff || !STAFF_ONLY_EVENTS.includes(e.type))
      .map((e) => {
        if (options.staff) return { at: e.at, type: e.type, actor: e.actor, detail: e.detail };
        const { reportedBy: _reportedBy, ...detail } = e.detail ?? {};
        return { at: e.at, type: e.type, detail };
      }),
  };
}

/**
 * 收受分离: where it was filed (a station, or ONLINE), the competent station that handles it, and where
 * the applicant collects the certificate (chosen, else the filing station, else the competent one).
 */
function filingView(request: RequestRecord) {
  const filing = (request.input as { filing?: { station?: string; collectAt?: string } }).filing;
  if (!filing) return {};
  const collectAt = filing.collectAt ?? filing.station ?? request.station;
  return {
    filing: {
      acceptedAt: filing.station ?? 'ONLINE',
      ...(request.station ? { handledAt: request.station } : {}),
      ...(collectAt ? { collectAt } : {}),
    },
  };
}

export function createHandler(deps: Deps) {
  return httpHandler(deps, async (event) => {
    const requestId = event.pathParameters?.requestId ?? '';
    const found = REQUEST_ID.test(requestId) ? await deps.store.getRequestWithHistory(requestId) : undefined;
    const access = await requireRequestAccess(deps, event, found?.request);
    if (!found) throw new HttpError(notFound());
    const code = found.request.station ?? found.request.decision?.station;
    const station = code ? (await deps.registry()).station(code) : undefined;
    return json(
      200,
      requestView(deps, found.request, found.history, {
        staff: access.kind === 'staff',
        ...(station ? { station } : {}),
      }),
    );
  });
}

export const handler = lazyHandler(() => createHandler(staffDeps()));
