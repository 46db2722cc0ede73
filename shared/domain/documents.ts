/**
 * The printed documents: a certificate in its kind's uniform form (式样统一) and the written reply
 * (书面告知) that a decline or a refusal gets. The wording is policy data (shared/policy/texts.ts): the
 * certificate's texts (`certificateTexts`: each issuable kind's `form`, the `certificate` lines) and the
 * written reply's and the labels (`documentTexts`); this module only gathers the values and fills the
 * templates. Pure: the issue date, the number and the station names are given.
 *
 * Placeholders a form may use:
 * - always: `{subjectName}`, `{subjectIdNumber}`, `{kindName}`, `{purpose}`, `{askedBy}`, `{station}`,
 *   `{issuedOn}`, `{number}`; with a related person `{relatedName}`, `{relatedIdNumber}`, `{relation}`;
 * - from the registry facts of the decision (rule 7), per `registryCheck`: NAME_CHANGE `{formerName}`,
 *   `{newName}`, `{changedOn}` (the latest change); GENDER_CHANGE `{fromGender}`, `{toGender}`,
 *   `{changedOn}`; CANCELLATION `{reason}`, `{cancelledOn}`; CRIMINAL_RECORD `{record}`;
 *   INCIDENT_CONCLUDED `{incidentDate}`, `{incidentStation}`; ON_RECORD `{gender}`, `{birthDate}`,
 *   `{ethnicity}`, `{address}`;
 * - any string fact of an investigation's CONFIRMED finding under its own key.
 * A coded value is shown by its label (`documents.labels[placeholder][value]`, e.g. `relation.MOTHER`).
 * When a placeholder stays unfilled (an investigated request whose facts the registry does not hold), the
 * statement is the policy's `documents.certificate.confirmed` (`certificateTexts(policy).certificate`)
 * instead, and the finding's facts follow.
 */
import { maskIdNumber, maskName } from '#shared/domain/id-number.ts';
import type { Bilingual, Locale } from '#shared/domain/types.ts';
import { type CatalogueKind, type Policy, render } from '#shared/policy/policy.ts';
import { certificateTexts, documentTexts, noticeTexts } from '#shared/policy/texts.ts';
import type { IntakeRequest } from '#shared/schemas/intake.ts';

type Value = Bilingual | string;
type Vars = Record<string, Value>;

/** What both documents are made from. Dates are Beijing days `YYYY-MM-DD`. */
export interface DocumentInput {
  policy: Policy;
  request: IntakeRequest;
  /** Station names by registry station code (the issuing station, an incident's station). */
  stationName: (code: string) => string | undefined;
  /** The station that issues or replies (registry station code). */
  station: string;
  issuedOn: string;
  /** The certificate number or the written reply's reference. */
  number: string;
  /** `masked`: names and ID numbers masked (`maskName`, `maskIdNumber`), for the public `/verify`. */
  masked?: boolean;
}

export interface CertificateInput extends DocumentInput {
  /** The registry facts of the decision (`Decision.facts`), when issued on the spot. */
  facts?: Record<string, unknown>;
  /** The facts of a CONFIRMED finding, when issued after an investigation. */
  findings?: Record<string, unknown>;
}

export interface WrittenReplyInput extends DocumentInput {
  /** The Beijing day the request was accepted. */
  acceptedOn: string;
  /** Why nothing is issued: the decision's reason, or the refusing finding's note. */
  reason: Bilingual;
  /** The clause it rests on. */
  basis: Bilingual;
  /** The document that proves the fact instead (rule 1), if any. */
  provenBy?: Bilingual;
  /** The body that holds the fact (rule 2; a policy body code), if not the police. */
  heldBy?: string;
}

/** A printable document: its title and its full text (lines separated by `\n`), in Chinese and English. */
export interface PrintedDocument {
  title: Bilingual;
  statement: Bilingual;
}

const PLACEHOLDER = /\{\w+\}/;

function party(name: string, idNumber: string, masked: boolean): { name: string; id: string } {
  return masked ? { name: maskName(name), id: maskIdNumber(idNumber) } : { name, id: idNumber };
}

/** `YYYY-MM-DD` plus `days` calendar days. */
function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function label(policy: Policy, key: string, value: unknown): Value | undefined {
  if (value === undefined || value === null) return undefined;
  const s = String(value);
  return documentTexts(policy).documents.labels[key]?.[s] ?? s;
}

function commonVars(input: DocumentInput, kind: CatalogueKind | undefined): Vars {
  const { policy, request, masked = false } = input;
  const subject = party(request.subject.name, request.subject.idNumber, masked);
  const purposeName = policy.purposes.find((p) => p.code === request.purpose.code)?.name;
  const purposeText = request.purpose.text;
  const purpose: Bilingual = {
    zh: `${purposeName?.zh ?? request.purpose.code}${purposeText ? `（${purposeText}）` : ''}`,
    en: `${purposeName?.en ?? request.purpose.code}${purposeText ? ` (${purposeText})` : ''}`,
  };
  const vars: Vars = {
    subjectName: subject.name,
    subjectIdNumber: subject.id,
    kindName: kind?.name ?? request.proof,
    purpose,
    askedBy: policy.bodies.find((b) => b.code === request.askedBy)?.name ?? request.askedBy,
    station: input.stationName(input.station) ?? input.station,
    issuedOn: input.issuedOn,
    number: input.number,
  };
  const related = request.relatedPerson;
  if (related !== undefined) {
    const r = party(related.name, related.idNumber, masked);
    vars.relatedName = r.name;
    vars.relatedIdNumber = r.id;
    const relation = label(policy, 'relation', related.relation);
    if (relation !== undefined) vars.relation = relation;
  }
  return vars;
}

/** The placeholders the registry facts of `kind.registryCheck` fill (see the module comment). */
function factVars(input: CertificateInput, kind: CatalogueKind): Vars {
  const f = input.facts ?? {};
  const { policy, masked = false } = input;
  const vars: Record<string, Value | undefined> = {};
  const latest = (x: unknown) =>
    Array.isArray(x)
      ? (x.at(-1) as { from?: string; to?: string; changedOn?: string } | undefined)
      : undefined;
  switch (kind.registryCheck) {
    case 'NAME_CHANGE': {
      const c = latest(f.changes);
      if (c?.from !== undefined && c.to !== undefined) {
        vars.formerName = masked ? maskName(c.from) : c.from;
        vars.newName = masked ? maskName(c.to) : c.to;
        vars.changedOn = c.changedOn;
      }
      break;
    }
    case 'GENDER_CHANGE': {
      const c = latest(f.changes);
      vars.fromGender = label(policy, 'gender', c?.from);
      vars.toGender = label(policy, 'gender', c?.to);
      vars.changedOn = c?.changedOn;
      break;
    }
    case 'CANCELLATION':
      vars.reason = label(policy, 'reason', f.reason);
      vars.cancelledOn = typeof f.cancelledOn === 'string' ? f.cancelledOn : undefined;
      break;
    case 'CRIMINAL_RECORD':
      vars.record = label(policy, 'record', f.hasRecord);
      break;
    case 'INCIDENT_CONCLUDED':
      vars.incidentDate = typeof f.date === 'string' ? f.date : undefined;
      vars.incidentStation =
        typeof f.station === 'string' ? (input.stationName(f.station) ?? f.station) : undefined;
      break;
    case 'ON_RECORD':
      vars.gender = label(policy, 'gender', f.gender);
      for (const k of ['birthDate', 'ethnicity'] as const) {
        if (typeof f[k] === 'string') vars[k] = f[k];
      }
      if (typeof f.address === 'string') vars.address = masked ? '***' : f.address;
      break;
    default:
      break;
  }
  return Object.fromEntries(Object.entries(vars).filter((e): e is [string, Value] => e[1] !== undefined));
}

/** The string facts of a finding (the officer's words), labelled where the policy has labels. */
function findingVars(input: CertificateInput): Vars {
  const out: Vars = {};
  for (const [k, v] of Object.entries(input.findings ?? {})) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
      out[k] = label(input.policy, k, v) ?? String(v);
    }
  }
  return out;
}

function lines(parts: Bilingual[]): Bilingual {
  const join = (l: Locale) => parts.map((p) => p[l]).join('\n');
  return { zh: join('zh'), en: join('en') };
}

/**
 * The certificate of `request` in its kind's uniform form, filled with the full names and ID numbers
 * (or masked, `masked: true`). Throws `Error` when the kind is not in the policy or has no form (a policy
 * parsed by `parsePolicy` gives every ISSUABLE kind one).
 */
export function certificateDocument(input: CertificateInput): PrintedDocument {
  const { policy, request } = input;
  const kind = policy.kinds.find((k) => k.code === request.proof);
  const { certificate: texts, kinds } = certificateTexts(policy);
  const form = kinds[request.proof]?.form;
  if (kind === undefined || form === undefined)
    throw new Error(`no certificate form for kind ${request.proof}`);
  const findings = findingVars(input);
  const vars: Vars = { ...commonVars(input, kind), ...factVars(input, kind), ...findings };
  let body = render(form.statement, vars);
  const complete = !PLACEHOLDER.test(body.zh) && !PLACEHOLDER.test(body.en);
  if (!complete) body = render(texts.confirmed, vars);
  const parts: Bilingual[] = [form.title, body];
  const findingList = Object.entries(findings);
  if (!complete && findingList.length > 0) {
    const list = (l: Locale) =>
      findingList.map(([k, v]) => `${k}: ${typeof v === 'string' ? v : v[l]}`).join(l === 'zh' ? '；' : '; ');
    parts.push(render(texts.findings, { findings: { zh: list('zh'), en: list('en') } }));
  }
  parts.push(render(texts.purpose, vars));
  if (kind.validity !== undefined) {
    parts.push(
      render(texts.validity, {
        validityDays: String(kind.validity.days),
        validUntil: addDays(input.issuedOn, kind.validity.days - 1),
      }),
    );
  }
  parts.push(render(texts.issuer, vars));
  return { title: form.title, statement: lines(parts) };
}

/** The last day a certificate of `kind` is valid (`YYYY-MM-DD`), counting the issue day; none: undefined. */
export function validUntil(kind: CatalogueKind | undefined, issuedOn: string): string | undefined {
  return kind?.validity === undefined ? undefined : addDays(issuedOn, kind.validity.days - 1);
}

/**
 * The written reply (书面告知) to a decline or a refusal: to whom, what was asked, that nothing is issued
 * and why, the basis, which document proves the fact or which body holds it, how to appeal, and who
 * replied when under which reference.
 */
export function writtenReplyDocument(input: WrittenReplyInput): PrintedDocument {
  const { policy, request } = input;
  const kind = policy.kinds.find((k) => k.code === request.proof);
  const texts = documentTexts(policy).documents.writtenReply;
  const applicant = request.applicant;
  const vars: Vars = {
    ...commonVars(input, kind),
    applicantName: input.masked ? maskName(applicant.name) : applicant.name,
    acceptedOn: input.acceptedOn,
    reason: input.reason,
    basis: input.basis,
    appeal: noticeTexts(policy).notices.appeal,
  };
  const parts: Bilingual[] = [texts.title, render(texts.statement, vars), render(texts.basis, vars)];
  if (input.provenBy !== undefined) parts.push(render(texts.provenBy, { provenBy: input.provenBy }));
  if (input.heldBy !== undefined && input.heldBy !== 'POLICE') {
    const body = policy.bodies.find((b) => b.code === input.heldBy)?.name ?? input.heldBy;
    parts.push(render(texts.heldBy, { heldBy: body }));
  }
  parts.push(render(texts.appeal, vars), render(texts.issuer, vars));
  return { title: texts.title, statement: lines(parts) };
}
