/**
 * The accountability policy (刚性问责) as data: complaint kinds, the complaint's finding deadline and
 * escalation interval (working days), filing limits and the rating review threshold. The figures are
 * certflow's default (accountability.json names it as such): the Jilin notice demands accountability for
 * 应开不开、吃拿卡要、故意为难 but sets no time limit for handling complaints. Who supervises at each level is
 * the certificate policy's own `supervisors` list (shared/policy/policy.ts), so one list names the levels
 * of both workflows.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Bilingual } from '#shared/domain/types.ts';
import * as z from '#shared/schemas/zod.ts';
import data from './accountability.json' with { type: 'json' };

export const COMPLAINT_KINDS = [
  'DUE_CERTIFICATE_REFUSED',
  'FAVOURS_ASKED',
  'OBSTRUCTION',
  'ABOLISHED_DEMAND',
  'DEADLINE_MISSED',
] as const;
export type ComplaintKind = (typeof COMPLAINT_KINDS)[number];

/**
 * The schema of accountability policy data, built on the first parse: inside a function, so that the
 * Lambdas (which only read the shipped file, checked at synth) carry none of it.
 */
function buildAccountabilityPolicySchema() {
  const bilingual = z.strictObject({
    zh: z.string().check(z.minLength(1)),
    en: z.string().check(z.minLength(1)),
  });
  const positive = z.int().check(z.gte(1), z.lte(60));

  return z.strictObject({
    source: bilingual,
    complaint: z.strictObject({
      /** Working days after the day of acceptance for the first supervisor's finding. */
      findingWorkingDays: positive,
      /** Each escalation to the next supervisor level allows this many more working days. */
      escalationIntervalWorkingDays: positive,
      textMaxCharacters: z.int().check(z.gte(50), z.lte(5000)),
    }),
    kinds: z
      .array(
        z.strictObject({
          code: z.enum(COMPLAINT_KINDS),
          /** OFFICER: an upheld complaint is an accountability record on the officer; BODY: on the asking body. */
          about: z.enum(['OFFICER', 'BODY']),
          name: bilingual,
        }),
      )
      .check(z.minLength(1)),
    limits: z.strictObject({
      /** Complaints a client address may file per hour (0 = no limit). */
      complaintsPerAddressPerHour: z.int().check(z.gte(0)),
      /** Complaints one phone number may file per Beijing-independent 24-hour window (0 = no limit). */
      complaintsPerPhonePerDay: z.int().check(z.gte(0)),
    }),
    rating: z.strictObject({
      /** A rating at or below this (1–5) opens a review for the supervisor. */
      reviewAtOrBelow: z.int().check(z.gte(1), z.lte(5)),
      textMaxCharacters: z.int().check(z.gte(10), z.lte(1000)),
    }),
  });
}
let schema: ReturnType<typeof buildAccountabilityPolicySchema> | undefined;
export type AccountabilityPolicy = z.output<ReturnType<typeof buildAccountabilityPolicySchema>>;

/** Parses accountability policy data; throws zod's `$ZodError` (`z.core.$ZodError`) naming the field. */
export function parseAccountabilityPolicy(value: unknown): AccountabilityPolicy {
  // Parsed once per process: no JIT-compiled parser for one use (see parsePolicy).
  schema ??= buildAccountabilityPolicySchema();
  return schema.parse(value, { jitless: true });
}

/**
 * The default (accountability.json), shipped with certflow: at import only its outline is checked; every
 * field is validated by `checkBundledAccountabilityPolicy` in the tests, at CDK synth and in bench:bundles
 * (as the certificate policy's files: `bundledPolicy` in policy.ts).
 */
export const accountabilityPolicy: AccountabilityPolicy = bundledAccountabilityPolicy(data);

function bundledAccountabilityPolicy(value: unknown): AccountabilityPolicy {
  const p = value as Partial<AccountabilityPolicy> | null;
  if (!Array.isArray(p?.kinds) || typeof p.complaint?.findingWorkingDays !== 'number') {
    throw new Error('accountability.json: invalid accountability policy (kinds or complaint missing)');
  }
  return p as AccountabilityPolicy;
}

/**
 * Validates accountability.json in full and checks that the validated data is exactly what
 * `accountabilityPolicy` holds. Throws zod's `$ZodError` naming the field, or an Error when they differ.
 */
export function checkBundledAccountabilityPolicy(): void {
  if (!isDeepStrictEqual(parseAccountabilityPolicy(data), accountabilityPolicy)) {
    throw new Error('accountability.json differs from its validated form');
  }
}

/** The name of complaint kind `code` in the policy (the code itself if the policy has no entry). */
export function complaintKindName(policy: AccountabilityPolicy, code: ComplaintKind): Bilingual {
  return policy.kinds.find((k) => k.code === code)?.name ?? { zh: code, en: code };
}
