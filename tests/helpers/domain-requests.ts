/**
 * Builds intake requests for tests: a valid POST /v1/requests body from a few choices, parsed through the
 * real intake schema (so every request a rules test uses is one intake would accept).
 */

import { demoPeople } from '#local/demo/demo-people.ts';
import type { Policy } from '#shared/policy/policy.ts';
import { type IntakeRequest, intakeRequestSchema, makeIntakeRequestSchema } from '#shared/schemas/intake.ts';

type Person = { name: string; idNumber: string };

export interface RequestChoice {
  proof: string;
  subject?: Person;
  related?: Person & { relation: string };
  askedBy?: string;
  askedByName?: string;
  purpose?: string;
  /** SELF (default: the subject), AGENT or UNIT. */
  applicant?: 'SELF' | 'AGENT' | 'UNIT';
  applicantPerson?: Person;
  event?: { date: string; place?: string };
  askedByLevel?: string;
  legalBasis?: string;
}

export function requestBody(c: RequestChoice): Record<string, unknown> {
  const subject = c.subject ?? demoPeople.zhangWei;
  const who = c.applicantPerson ?? subject;
  const applicant =
    c.applicant === 'UNIT'
      ? { kind: 'UNIT', unitName: '某单位', letterRef: 'L-1', name: '联系人', phone: '13900000000' }
      : c.applicant === 'AGENT'
        ? {
            kind: 'AGENT',
            name: who.name,
            idNumber: who.idNumber,
            phone: '13900000000',
            powerOfAttorneyRef: 'POA-1',
          }
        : { kind: 'SELF', name: who.name, idNumber: who.idNumber, phone: '13900000000' };
  return {
    proof: c.proof,
    purpose: { code: c.purpose ?? 'OTHER' },
    askedBy: c.askedBy ?? 'BANK',
    ...(c.askedByName ? { askedByName: c.askedByName } : {}),
    subject: { name: subject.name, idNumber: subject.idNumber },
    ...(c.related
      ? {
          relatedPerson: { name: c.related.name, idNumber: c.related.idNumber, relation: c.related.relation },
        }
      : {}),
    applicant,
    ...(c.event ? { event: { date: c.event.date, place: c.event.place ?? '某地' } } : {}),
    ...(c.askedByLevel ? { askedByLevel: c.askedByLevel } : {}),
    ...(c.legalBasis ? { legalBasis: c.legalBasis } : {}),
  };
}

/** A validated request; throws (failing the test) if intake would reject it. */
export function request(c: RequestChoice, policy?: Policy): IntakeRequest {
  const schema = policy ? makeIntakeRequestSchema(policy) : intakeRequestSchema();
  return schema.parse(requestBody(c)) as IntakeRequest;
}
