/**
 * The officer console's casework: the row that tells two requests apart, claiming or assigning a request
 * to an officer, and revealing the people's full ID numbers and registry records to the investigating
 * officer. Every assignment and every reveal is an audit event (who, when, and for a reveal, why).
 */
import { mapLimited } from '#shared/concurrency.ts';
import { QUESTION_NAMES } from '#shared/domain/citizen.ts';
import { maskIdNumber, maskName } from '#shared/domain/id-number.ts';
import { isOpen, requestReference } from '#shared/domain/request.ts';
import type { PersonRecord } from '#shared/registry/registry.ts';
import type { Principal, RequestRecord } from '#shared/store/model.ts';
import type { Deps } from '../deps.ts';
import { NotAssignableError, NotInvestigatingOfficerError } from './errors.ts';
import { changeRequest, nowIso } from './requests.ts';

/**
 * Is an open request past the service standard's deadline? Past its current deadline, or escalated (an
 * escalation happens at the deadline and sets a new one: the request stays overdue). Closed: never.
 */
export function isOverdue(
  r: Pick<RequestRecord, 'status' | 'deadline' | 'escalationLevel'>,
  now: string,
): boolean {
  if (!isOpen(r.status)) return false;
  return r.escalationLevel > 0 || (r.deadline !== undefined && r.deadline < now);
}

/** One row of the console: enough to tell two requests apart, names and ID numbers masked. */
export function consoleRow(r: RequestRecord, now: string) {
  const input = r.input as {
    subject: { name: string; idNumber: string };
    relatedPerson?: { name: string };
    askedBy?: string;
    purpose?: { code?: string };
  };
  return {
    requestId: r.requestId,
    reference: requestReference(r.requestId),
    proof: r.proof,
    status: r.status,
    acceptedAt: r.acceptedAt,
    ...(r.deadline ? { deadline: r.deadline } : {}),
    deadlineProvisional: r.deadlineProvisional === true,
    overdue: isOverdue(r, now),
    warned: r.warnedFor !== undefined && r.warnedFor === r.deadline,
    escalationLevel: r.escalationLevel,
    ...(input.askedBy ? { askedBy: input.askedBy } : {}),
    ...(input.purpose?.code ? { purpose: input.purpose.code } : {}),
    subject: { name: maskName(input.subject.name), idNumber: maskIdNumber(input.subject.idNumber) },
    ...(input.relatedPerson ? { relatedPerson: { name: maskName(input.relatedPerson.name) } } : {}),
    ...(r.decision?.reason ? { reason: r.decision.reason } : {}),
    ...(r.assignee ? { assignee: r.assignee } : {}),
    ...(r.outcome ? { outcome: r.outcome } : {}),
    ...(r.finishedAt ? { finishedAt: r.finishedAt } : {}),
    ...(r.station ? { station: r.station } : {}),
    waiting: r.taskToken !== undefined,
    links: { self: `/v1/requests/${r.requestId}`, findings: `/v1/requests/${r.requestId}/findings` },
  };
}
export type ConsoleRow = ReturnType<typeof consoleRow>;

/** Requests read at once for the accepted-here list (bounded parallel GetItem; BatchGetItem is not granted). */
export const ACCEPTED_READS_AT_ONCE = 8;

/**
 * 收受分离: the requests filed at `station` (newest first, at most `limit`), each with its role here
 * (ACCEPTING), the competent station that handles it, its status, where it is collected (the filing's
 * `collectAt`, else this station) and the subject masked. One Query of the byOwner index, then one GetItem
 * per request, `ACCEPTED_READS_AT_ONCE` in flight at once; a request not found is left out.
 */
export async function acceptedAtStation(deps: Deps, station: string, limit = 50) {
  const entries = await deps.store.listAccepted(station, { limit });
  const requests = await mapLimited(entries, ACCEPTED_READS_AT_ONCE, (e) =>
    deps.store.getRequest(e.requestId),
  );
  return requests.flatMap((r) => {
    if (!r) return [];
    const input = r.input as { subject: { name: string; idNumber: string }; filing?: { collectAt?: string } };
    return [
      {
        requestId: r.requestId,
        reference: requestReference(r.requestId),
        role: 'ACCEPTING' as const,
        proof: r.proof,
        status: r.status,
        acceptedAt: r.acceptedAt,
        ...(r.station ? { handlingStation: r.station } : {}),
        collectAt: input.filing?.collectAt ?? station,
        ...(r.deadline ? { deadline: r.deadline } : {}),
        subject: { name: maskName(input.subject.name), idNumber: maskIdNumber(input.subject.idNumber) },
        links: { self: `/v1/requests/${r.requestId}` },
      },
    ];
  });
}

/** A station's open registry checks (disputed exchange answers, 结果反馈), each with its question's name. */
export async function checksAtStation(deps: Deps, station: string) {
  const checks = await deps.exchange.listStationChecks(station);
  return checks.map((c) => ({
    ...c,
    questionName: QUESTION_NAMES[c.question] ?? { zh: c.question, en: c.question },
  }));
}

/**
 * Assigns an open request to `officer` (the caller's own name: a claim).
 * 1. Read the request; a closed one is NotAssignableError.
 * 2. Already that officer's: nothing is written.
 * 3. Write `assignee` with an ASSIGNED event naming the officer, the previous one and who did it.
 */
export async function assignRequest(
  deps: Deps,
  request: RequestRecord,
  officer: string,
  by: string,
): Promise<RequestRecord> {
  return changeRequest(
    deps,
    request.requestId,
    (current) => {
      if (!isOpen(current.status)) throw new NotAssignableError(`${current.requestId} is ${current.status}`);
      if (current.assignee === officer) return undefined;
      return {
        changes: { assignee: officer },
        event: {
          type: 'ASSIGNED',
          actor: by,
          detail: { assignee: officer, ...(current.assignee ? { previous: current.assignee } : {}) },
        },
      };
    },
    request,
  );
}

type Role = 'subject' | 'relatedPerson' | 'applicant';

/** A person of the request in full, with their registry record when the registry holds one. */
export interface RevealedPerson {
  role: Role;
  name: string;
  idNumber: string;
  registry?: Omit<PersonRecord, 'idNumber' | 'name'> & { name: string };
}

/**
 * Reveals the full ID numbers and registry records of the request's people to its investigating officer.
 * 1. Only an officer the request is assigned to (NotInvestigatingOfficerError otherwise).
 * 2. Record the PERSONAL_DATA_REVEALED event (who, why, which people) — before anything is shown.
 * 3. Answer the people as filed and as the registry holds them.
 */
export async function revealPeople(
  deps: Deps,
  request: RequestRecord,
  principal: Principal,
  reason: string,
  by: string,
): Promise<{ people: RevealedPerson[]; revealedAt: string }> {
  if (principal.role !== 'OFFICER' || request.assignee !== principal.name)
    throw new NotInvestigatingOfficerError(`${by} is not the assignee of ${request.requestId}`);
  const input = request.input as unknown as Record<Role, { name?: string; idNumber?: string } | undefined>;
  const roles = (['subject', 'relatedPerson', 'applicant'] as const).filter(
    (role) => typeof input[role]?.idNumber === 'string',
  );
  const revealedAt = nowIso(deps);
  await changeRequest(
    deps,
    request.requestId,
    () => ({
      changes: {},
      event: { type: 'PERSONAL_DATA_REVEALED', actor: by, detail: { reason, people: roles } },
    }),
    request,
  );
  const registry = await deps.registry();
  const people = roles.map((role): RevealedPerson => {
    const person = input[role] as { name: string; idNumber: string };
    const record = registry.person(person.idNumber);
    if (!record) return { role, name: person.name, idNumber: person.idNumber };
    const { idNumber: _id, ...rest } = record;
    return { role, name: person.name, idNumber: person.idNumber, registry: rest };
  });
  return { people, revealedAt };
}
