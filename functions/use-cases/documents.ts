/**
 * The printed documents of a request, stored for verification: the certificate in its kind's uniform
 * form and the written reply (书面告知) of a decline or a refusal. Both are items of the certificates
 * partition (`putCertificate`), found by number and checked with the printed verification code at
 * `GET /v1/certificates/{number}?code=…`; the item keeps the masked statement for the public and the hash
 * of the code, never the code. Numbers carry the Beijing day of issue and are derived from the request
 * (a retry on the same day finds the same item).
 */
import { certificateNumber, deriveVerificationCode, sha256Hex } from '#shared/certificates/ids-and-codes.ts';
import { beijingDate } from '#shared/domain/beijing-day.ts';
import {
  type CertificateInput,
  certificateDocument,
  type PrintedDocument,
  validUntil,
  type WrittenReplyInput,
  writtenReplyDocument,
} from '#shared/domain/documents.ts';
import { maskName } from '#shared/domain/id-number.ts';
import type { Bilingual } from '#shared/domain/types.ts';
import { kindOf, type Policy, policyInForce } from '#shared/policy/policy.ts';
import type { CertificateRecord, CertificateRef, RequestRecord } from '#shared/store/model.ts';
import type { Deps } from '../deps.ts';

/** What a decline or a refusal says, besides the request itself. */
export interface ReplyGrounds {
  reason: Bilingual;
  basis: Bilingual;
  provenBy?: Bilingual;
  heldBy?: string;
}

async function common(deps: Deps, request: RequestRecord, at: string, salt: string) {
  const policy: Policy = policyInForce(deps.policies, new Date(request.acceptedAt));
  const registry = await deps.registry();
  const station = request.station ?? request.decision?.station ?? 'UNKNOWN';
  const issuedOn = beijingDate(new Date(at));
  const number = certificateNumber(`${salt}${request.requestId}`, issuedOn);
  return {
    policy,
    request: request.input,
    station,
    stationName: (code: string) => registry.station(code)?.name,
    issuedOn,
    number,
  };
}

async function store(
  deps: Deps,
  request: RequestRecord,
  at: string,
  doc: PrintedDocument,
  masked: PrintedDocument,
  base: { number: string; station: string; stationName: (c: string) => string | undefined },
  extra: Partial<CertificateRecord>,
): Promise<CertificateRef> {
  const issuedBy = base.stationName(base.station) ?? base.station;
  const stored = await deps.store.putCertificate({
    number: base.number,
    requestId: request.requestId,
    kind: request.proof,
    issuedAt: at,
    issuedBy,
    subjectName: maskName(request.input.subject?.name ?? ''),
    codeHash: sha256Hex(deriveVerificationCode(deps.config.tokenSecret, base.number)),
    status: 'VALID',
    title: doc.title,
    publicStatement: masked.statement,
    ...extra,
  });
  return {
    number: stored.number,
    issuedAt: stored.issuedAt,
    issuedBy: stored.issuedBy,
    title: doc.title,
    statement: doc.statement,
  };
}

/** Stores the certificate of `request` issued at `at` (ISO); the reference carries the full statement. */
export async function storeCertificate(
  deps: Deps,
  request: RequestRecord,
  at: string,
  findings?: Record<string, unknown>,
): Promise<CertificateRef> {
  const base = await common(deps, request, at, '');
  const input: CertificateInput = {
    ...base,
    ...(request.decision?.facts ? { facts: request.decision.facts } : {}),
    ...(findings ? { findings } : {}),
  };
  const until = validUntil(kindOf(base.policy, request.proof), base.issuedOn);
  return store(
    deps,
    request,
    at,
    certificateDocument(input),
    certificateDocument({ ...input, masked: true }),
    base,
    {
      document: 'CERTIFICATE',
      ...(request.decision?.facts ? { facts: request.decision.facts } : {}),
      ...(until ? { validUntil: until } : {}),
    },
  );
}

/** Stores the written reply (书面告知) of a decline or a refusal of `request`, dated `at` (ISO). */
export async function storeWrittenReply(
  deps: Deps,
  request: RequestRecord,
  at: string,
  grounds: ReplyGrounds,
): Promise<CertificateRef> {
  const base = await common(deps, request, at, 'reply:');
  const input: WrittenReplyInput = {
    ...base,
    ...grounds,
    acceptedOn: beijingDate(new Date(request.acceptedAt)),
  };
  return store(
    deps,
    request,
    at,
    writtenReplyDocument(input),
    writtenReplyDocument({ ...input, masked: true }),
    base,
    { document: 'WRITTEN_REPLY' },
  );
}

/** The grounds of a decision that declines (`DECLINED_*`): reason, basis, the proving document, the holder. */
export function declineGrounds(policy: Policy, request: RequestRecord): ReplyGrounds | undefined {
  const d = request.decision;
  if (d === undefined || !d.outcome.startsWith('DECLINED_')) return undefined;
  const provenBy = d.outcome === 'DECLINED_PROVABLE_BY_HUKOU' ? kindOf(policy, d.proof)?.provenBy : undefined;
  return {
    reason: d.reason,
    basis: d.basis,
    ...(provenBy ? { provenBy } : {}),
    ...(d.heldBy ? { heldBy: d.heldBy } : {}),
  };
}
