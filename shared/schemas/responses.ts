/**
 * The API's answers as zod schemas: the one place the response shapes are written down. The OpenAPI
 * document (shared/openapi/document.ts) is generated from these and from the request schemas of
 * intake.ts; the web pages and the CLI use the TypeScript types generated from that document
 * (web/src/lib/api-types.ts), and the end-to-end tests parse real answers with these schemas.
 *
 * The document lists each answer's fields exactly (zod-openapi writes an output `z.object` with
 * `additionalProperties: false`): tests/e2e/openapi-client.test.ts validates real answers against it, so a
 * handler that adds, drops or retypes a field without changing this file fails. Times are ISO 8601 UTC strings
 * (`2026-11-23T02:00:00.000Z`); dates are `YYYY-MM-DD` Beijing days.
 */
import { z } from 'zod';
import { MESSAGE_TYPES } from '#shared/domain/deliveries.ts';
import { REQUEST_STATUSES } from '#shared/domain/request.ts';
import { ASKED_BY_CODES, EXCHANGE_QUESTIONS, OUTCOMES, TREATMENTS } from '#shared/domain/types.ts';
import { KindNeedsSchema } from '#shared/policy/policy.ts';
import { BilingualSchema } from './bilingual.ts';

const isoTime = z
  .string()
  .meta({ description: 'ISO 8601 time (UTC)', examples: ['2026-11-23T02:00:00.000Z'] });

export { BilingualSchema } from './bilingual.ts';

/** RFC 9457 problem details, the one error form (`application/problem+json`). */
export const ProblemSchema = z
  .object({
    type: z.string().meta({ description: 'relative URI under /problems/ naming the kind of problem' }),
    title: z.string(),
    status: z.int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z
      .array(
        z.object({
          path: z.string().meta({ description: "dotted field path, e.g. subject.idNumber; '' for the body" }),
          message: z.string().meta({ description: 'Chinese / English, or the language of `locale`' }),
        }),
      )
      .optional()
      .meta({ description: 'validation failures (400), one per field' }),
    retryAfterSeconds: z
      .int()
      .optional()
      .meta({ description: '429: seconds until the next request is taken' }),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

const links = <T extends Record<string, z.ZodType>>(shape: T) => z.object(shape);

/** 202 of POST /v1/requests. */
export const AcceptedSchema = z
  .object({
    requestId: z.string(),
    accessToken: z
      .string()
      .meta({ description: "bearer token for GET /v1/requests/{requestId} (the citizen's)" }),
    status: z.literal('RECEIVED'),
    links: links({ self: z.string() }).catchall(z.string()),
  })
  .meta({ id: 'Accepted' });

export const DecisionSchema = z
  .object({
    outcome: z.enum(OUTCOMES),
    ruleId: z.string(),
    policyVersion: z.string(),
    basis: z.optional(BilingualSchema),
    reason: BilingualSchema,
    guidance: BilingualSchema,
    heldBy: z.string().optional().meta({ description: 'body that holds the fact (declined: ask it)' }),
    exchange: z
      .object({ department: z.string(), question: z.enum(EXCHANGE_QUESTIONS).optional() })
      .optional()
      .meta({ description: 'ANSWERED_BY_EXCHANGE: which department was answered, to which question' }),
    commitment: z.object({ department: z.string(), text: BilingualSchema }).optional().meta({
      description: 'COMMITMENT_ACCEPTED (告知承诺制): the body that accepts it and the commitment text',
    }),
  })
  .meta({ id: 'Decision' });

export const CertificateViewSchema = z
  .object({
    number: z.string().meta({ examples: ['CC-20261123-7K2M9Q4X'] }),
    verificationCode: z.string().meta({ description: '10 characters; the verify link carries it' }),
    issuedAt: isoTime,
    issuedBy: z.string().meta({ description: 'issuing station name' }),
    title: z.object({ zh: z.string(), en: z.string() }).optional(),
    statement: z.object({ zh: z.string(), en: z.string() }).optional().meta({
      description:
        'the full certified text in the kind’s uniform form (lines by \\n), full names and ID numbers',
    }),
    links: z.object({ verify: z.string() }),
  })
  .meta({ id: 'CertificateView' });

export const HistoryEntrySchema = z
  .object({
    at: isoTime,
    type: z.string().meta({ description: 'RECEIVED, CHECKED, DECLINED, ISSUED, ESCALATED, …' }),
    actor: z
      .string()
      .optional()
      .meta({ description: 'staff only: applicant, system, officer:…, supervisor:…, department:CODE' }),
    detail: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'HistoryEntry' });

/** 200 of GET /v1/requests/{requestId}. */
export const RequestViewSchema = z
  .object({
    requestId: z.string(),
    proof: z.string(),
    status: z.enum(REQUEST_STATUSES),
    input: z
      .record(z.string(), z.unknown())
      .optional()
      .meta({ description: 'staff only: the facts as filed, every ID number masked' }),
    decision: DecisionSchema.optional(),
    station: z.string().optional(),
    stationInfo: z
      .object({
        name: z.string(),
        address: z.string().optional(),
        hours: z.optional(BilingualSchema),
      })
      .optional()
      .meta({
        description: "the competent station as citizens see it (the registry's name, address, hours)",
      }),
    filing: z
      .object({
        acceptedAt: z.string().meta({ description: 'the station it was filed at, or ONLINE' }),
        handledAt: z
          .string()
          .optional()
          .meta({ description: 'the competent station (decision, certificate)' }),
        collectAt: z.string().optional().meta({ description: 'where the applicant collects it' }),
      })
      .optional()
      .meta({ description: '收受分离: accepted anywhere, handled at the competent station' }),
    acceptedAt: isoTime,
    finishedAt: isoTime.optional().meta({ description: 'when the request reached its final status' }),
    deadline: isoTime.optional(),
    deadlineProvisional: z.boolean().optional(),
    escalationLevel: z.int().min(0),
    certificate: CertificateViewSchema.optional(),
    writtenReply: CertificateViewSchema.optional().meta({
      description: '书面告知: the written reply of a decline or a refusal, verifiable like a certificate',
    }),
    finding: z
      .object({
        outcome: z.enum(['CONFIRMED', 'REFUTED']),
        note: z.string().optional(),
        at: isoTime,
        by: z.string().optional().meta({ description: 'staff only' }),
      })
      .optional(),
    history: z.array(HistoryEntrySchema),
  })
  .meta({ id: 'RequestView' });

/** 202 of the officer and the department findings. */
export const FindingAcceptedSchema = z
  .object({
    requestId: z.string(),
    outcome: z.enum(['CONFIRMED', 'REFUTED']),
    reportedBy: z.string(),
    status: z.literal('ACCEPTED'),
    links: z.object({ request: z.string() }).optional(),
    webhookId: z.string().optional().meta({ description: 'department findings: the webhook-id answered' }),
  })
  .meta({ id: 'FindingAccepted' });

export const CatalogueKindSchema = z
  .object({
    code: z.string(),
    name: BilingualSchema,
    treatment: z.enum(TREATMENTS),
    ruleId: z.string(),
    basis: BilingualSchema,
    heldBy: z.string().optional(),
    heldByName: z.optional(BilingualSchema),
    explanation: BilingualSchema,
    needs: KindNeedsSchema.meta({ description: 'which intake fields the kind needs' }),
    provenBy: z.optional(BilingualSchema),
    applicants: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: 'CatalogueKind' });

/** 200 of GET /v1/catalogue. */
export const CatalogueSchema = z
  .object({
    policyVersion: z.string().meta({ description: 'the version in force now', examples: ['jilin-2021'] }),
    effectiveFrom: z.string().meta({ description: 'YYYY-MM-DD' }),
    versions: z
      .array(
        z.object({
          policyVersion: z.string(),
          province: z.string(),
          effectiveFrom: z.string(),
          name: BilingualSchema,
          source: BilingualSchema,
          inForce: z.boolean(),
        }),
      )
      .meta({ description: 'every version the stack decides with, oldest first' }),
    kinds: z.array(CatalogueKindSchema),
    bodies: z.array(z.object({ code: z.string(), name: BilingualSchema, connected: z.boolean() })),
    purposes: z.array(z.object({ code: z.string(), name: BilingualSchema })),
    service: z.object({
      investigationWorkingDays: z.int(),
      warnWorkingDaysBefore: z.int(),
      escalationIntervalWorkingDays: z.int(),
    }),
  })
  .meta({ id: 'Catalogue' });

/** 200 of GET /v1/certificates/{number}. */
export const CertificateCheckSchema = z
  .object({
    valid: z.boolean(),
    number: z.string(),
    kind: z.string(),
    issuedAt: isoTime,
    issuedBy: z.string(),
    subjectName: z.string().meta({ description: 'masked, e.g. 黄*雨' }),
    status: z.enum(['VALID', 'REVOKED']),
    document: z.enum(['CERTIFICATE', 'WRITTEN_REPLY']).optional(),
    title: z.object({ zh: z.string(), en: z.string() }).optional(),
    statement: z
      .object({ zh: z.string(), en: z.string() })
      .optional()
      .meta({ description: 'the certified text with names and ID numbers masked' }),
    validUntil: z.string().optional().meta({ description: 'last valid Beijing day, YYYY-MM-DD' }),
  })
  .meta({ id: 'CertificateCheck' });

const counts = z.record(z.string(), z.int());

/** 200 of GET /v1/metrics/summary. */
export const MetricsSummarySchema = z
  .object({
    at: isoTime,
    total: z.int(),
    byStatus: counts,
    byOutcome: counts,
    decidedWithDeadline: z.int(),
    onTimeRate: z.number().min(0).max(1).nullable(),
    overdueNow: z.int(),
    escalatedNow: z.int(),
    certificatesIssued: z.int(),
    certificatesAvoided: z
      .int()
      .meta({ description: 'declined under the three principles + answered by exchange' }),
    tripsSaved: z.int().meta({ description: '2 per avoided certificate' }),
    yuanSaved: z.int().meta({ description: '10 yuan per trip' }),
    series: z
      .array(z.object({ date: z.string(), byOutcome: counts }))
      .meta({ description: 'the last 30 Beijing days, oldest first: finished requests by outcome' }),
  })
  .meta({ id: 'MetricsSummary' });

/** 200 of GET /v1/stations. */
export const StationsSchema = z
  .object({
    stations: z.array(z.object({ code: z.string(), name: z.string(), county: z.string(), city: z.string() })),
  })
  .meta({ id: 'Stations' });

/** One row of the officer console (queue, done list, search, supervision lists): names and ID numbers masked. */
export const ConsoleRowSchema = z
  .object({
    requestId: z.string(),
    reference: z
      .string()
      .meta({ description: 'the last 8 characters of the request number (as SMS messages name it)' }),
    proof: z.string(),
    status: z.enum(REQUEST_STATUSES),
    acceptedAt: isoTime,
    deadline: isoTime.optional(),
    deadlineProvisional: z.boolean(),
    overdue: z.boolean(),
    warned: z.boolean(),
    escalationLevel: z.int(),
    askedBy: z.enum(ASKED_BY_CODES).optional(),
    purpose: z.string().optional(),
    subject: z.object({ name: z.string(), idNumber: z.string() }).meta({ description: 'masked' }),
    relatedPerson: z.object({ name: z.string() }).optional().meta({ description: 'masked' }),
    reason: z.optional(BilingualSchema),
    assignee: z.string().optional().meta({ description: 'the officer working it (claimed or assigned)' }),
    outcome: z.string().optional(),
    finishedAt: isoTime.optional(),
    station: z.string().optional(),
    waiting: z.boolean().meta({ description: 'the workflow waits for a finding' }),
    links: z.object({ self: z.string(), findings: z.string() }),
  })
  .meta({ id: 'ConsoleRow' });

/** 200 of GET /v1/stations/{station}/queue. */
export const StationQueueSchema = z
  .object({
    station: z.string(),
    items: z.array(
      ConsoleRowSchema.extend({
        role: z.literal('HANDLING').meta({ description: 'this station is the competent one' }),
      }),
    ),
    cursor: z.string().optional().meta({ description: 'pass as ?cursor= for the next page' }),
    truncated: z
      .boolean()
      .optional()
      .meta({ description: 'a filtered listing read its 500 requests and stopped' }),
    accepted: z
      .array(
        z.object({
          requestId: z.string(),
          reference: z.string().meta({ description: 'the last 8 characters of the request number' }),
          role: z.literal('ACCEPTING'),
          proof: z.string(),
          status: z.enum(REQUEST_STATUSES),
          acceptedAt: isoTime,
          handlingStation: z.string().optional(),
          collectAt: z.string(),
          deadline: isoTime.optional(),
          subject: z.object({ name: z.string(), idNumber: z.string() }).meta({ description: 'masked' }),
          links: z.object({ self: z.string() }),
        }),
      )
      .optional()
      .meta({
        description: 'first page only: requests filed here, handled at the competent station (收受分离)',
      }),
    checks: z
      .array(
        z.object({
          checkId: z.string(),
          exchangeId: z.string(),
          station: z.string(),
          department: z.string(),
          question: z.string(),
          questionName: BilingualSchema,
          subject: z.record(z.string(), z.unknown()).meta({ description: 'masked' }),
          reason: z.string(),
          openedAt: isoTime,
          status: z.enum(['OPEN']),
        }),
      )
      .optional()
      .meta({ description: 'first page only: checks opened by disputed exchange answers (结果反馈)' }),
  })
  .meta({ id: 'StationQueue' });

/** 200 of POST /v1/requests/search. */
export const SearchResultSchema = z.object({ items: z.array(ConsoleRowSchema) }).meta({ id: 'SearchResult' });

/** 200 of POST /v1/requests/{requestId}/reveal: the people in full, with their registry records. */
export const RevealedSchema = z
  .object({
    requestId: z.string(),
    revealedAt: isoTime,
    people: z.array(
      z.object({
        role: z.enum(['subject', 'relatedPerson', 'applicant']),
        name: z.string(),
        idNumber: z.string(),
        registry: z
          .object({
            name: z.string(),
            gender: z.enum(['M', 'F']),
            birthDate: z.string(),
            ethnicity: z.string(),
            relationToHead: z.string(),
            householdId: z.string(),
            station: z.string(),
            address: z.string(),
          })
          .optional()
          .meta({ description: 'the population registry record; absent when the registry holds none' }),
      }),
    ),
  })
  .meta({ id: 'Revealed' });

/** 200 of GET /v1/supervision. */
export const SupervisionSchema = z
  .object({
    at: isoTime,
    from: z.string(),
    to: z.string(),
    station: z.string().optional(),
    today: z.string(),
    stations: z.array(
      z.object({
        station: z.string(),
        name: z.string().optional(),
        open: z.int(),
        overdue: z.int(),
        escalated: z.int(),
        finished: z.int().meta({ description: 'finished within the range' }),
        byOutcome: z.record(z.string(), z.int()),
        onTime: z.int(),
        late: z.int(),
      }),
    ),
    officers: z.array(z.object({ officer: z.string(), open: z.int(), overdue: z.int(), finished: z.int() })),
    overdue: z.array(ConsoleRowSchema),
    escalated: z.array(ConsoleRowSchema),
    truncated: z.boolean().meta({ description: 'a status had more requests than the report reads' }),
  })
  .meta({ id: 'Supervision' });

const DockingRouteSchema = z
  .object({
    askedAt: z.string(),
    answeredBy: z.string(),
    commonLevel: z.enum(['PROVINCE', 'CITY', 'COUNTY']),
    hops: z.array(
      z.object({
        from: z.string(),
        to: z.string(),
        direction: z.enum(['UP', 'DOWN']),
        leg: z.enum(['QUERY', 'ANSWER']),
        at: isoTime,
      }),
    ),
  })
  .meta({ id: 'DockingRoute', description: 'level-by-level docking (逐级对接): every hop there and back' });

const FeedbackSchema = z
  .object({
    outcome: z.enum(['ACCEPTED', 'DISPUTED']),
    reason: z.string().optional(),
    at: isoTime,
    checkId: z.string().optional(),
  })
  .meta({ id: 'Feedback' });

export const ExchangeRecordSchema = z
  .object({
    exchangeId: z.string(),
    department: z.string(),
    origin: z.enum(['REQUEST', 'QUERY', 'SUBSCRIPTION']),
    mechanism: z.enum(['RESULT_FEEDBACK', 'AD_HOC_VERIFICATION', 'PERIODIC_EXCHANGE', 'LEVEL_BY_LEVEL']),
    question: z.string(),
    subject: z.record(z.string(), z.unknown()).meta({ description: 'masked name and ID number' }),
    answer: z.record(z.string(), z.unknown()),
    source: z.string(),
    answeredAt: isoTime,
    requestId: z.string().optional(),
    purpose: z.string().optional(),
    reference: z.string().optional(),
    station: z.string().optional().meta({ description: "the subject's registration station" }),
    route: DockingRouteSchema.optional(),
    feedback: FeedbackSchema.optional(),
    ruleId: z
      .string()
      .optional()
      .meta({ description: 'the rule the exchange was answered under (result feedback)' }),
  })
  .meta({ id: 'ExchangeRecord' });

/** 200 of POST /v1/exchange/queries. */
export const ExchangeAnswerSchema = z
  .object({
    exchangeId: z.string(),
    question: z.enum(EXCHANGE_QUESTIONS),
    answer: z.record(z.string(), z.unknown()),
    answeredAt: isoTime,
    source: z.string(),
    route: DockingRouteSchema.optional().meta({ description: 'for a body docked level by level' }),
  })
  .meta({ id: 'ExchangeAnswer' });

/** A subscription (periodic exchange) as GET / POST /v1/exchange/subscriptions show it. */
export const SubscriptionSchema = z
  .object({
    department: z.string(),
    changeTypes: z.array(z.string()),
    people: z.int().meta({ description: 'people registered (the body’s caseload)' }),
    createdAt: isoTime,
    updatedAt: isoTime,
    lastAcknowledgedAt: isoTime.optional(),
    lastBatchId: z.string().optional(),
    pendingAttempts: z.int().meta({ description: 'failed deliveries of the pending batch' }),
    lastError: z.string().optional(),
    delivered: z.int(),
    deadLettered: z.int(),
  })
  .meta({ id: 'Subscription' });

/** 200 of POST /v1/exchange/subscriptions. */
export const SubscribedSchema = z
  .object({ subscription: SubscriptionSchema, added: z.int(), removed: z.int() })
  .meta({ id: 'Subscribed' });

/** 200 of GET /v1/exchange/subscriptions. */
export const SubscriptionAnswerSchema = z
  .object({ subscription: SubscriptionSchema })
  .meta({ id: 'SubscriptionAnswer' });

/** 201 / 200 of POST /v1/registry/changes. */
export const ChangeRecordedSchema = z
  .object({
    changeId: z.string(),
    type: z.string(),
    recordedAt: isoTime,
    subscribers: z.int().meta({ description: 'subscribers whose feed it went to' }),
    replayed: z.boolean(),
  })
  .meta({ id: 'ChangeRecorded' });

/** 200 of POST /v1/exchange/records/{exchangeId}/feedback. */
export const FeedbackAnswerSchema = z
  .object({
    exchangeId: z.string(),
    feedback: FeedbackSchema,
    check: z.record(z.string(), z.unknown()).optional().meta({ description: 'the check a dispute opened' }),
  })
  .meta({ id: 'FeedbackAnswer' });

/** What a subscriber receives at each scheduled run (signed, Standard Webhooks): `certflow.exchange.changes`. */
export const ChangesDeliverySchema = z
  .object({
    type: z.literal('certflow.exchange.changes'),
    timestamp: isoTime,
    data: z.object({
      department: z.string(),
      batchId: z.string(),
      count: z.int(),
      changes: z.array(
        z.object({
          changeId: z.string(),
          exchangeId: z.string(),
          type: z.string(),
          idNumber: z.string().meta({ description: 'in full: the subscriber registered this person' }),
          name: z.string().optional(),
          effectiveOn: z.string(),
          station: z.string(),
          details: z.record(z.string(), z.unknown()),
        }),
      ),
      acknowledge: z.string(),
    }),
  })
  .meta({ id: 'ChangesDelivery' });

/** 200 of GET /v1/exchange/records. */
export const ExchangeRecordsSchema = z
  .object({
    department: z.string(),
    records: z.array(ExchangeRecordSchema),
    cursor: z.string().optional(),
    links: z.object({ next: z.string() }).optional(),
  })
  .meta({ id: 'ExchangeRecords' });

/** What certflow POSTs to a department endpoint (signed, Standard Webhooks). */
export const DeliverySchema = z
  .object({
    type: z.enum(MESSAGE_TYPES),
    timestamp: isoTime,
    data: z
      .object({
        requestId: z.string(),
        proof: z.string(),
        subject: z.object({ name: z.string(), idNumber: z.string() }).meta({ description: 'masked' }),
        purpose: z.string().optional(),
      })
      .catchall(z.unknown())
      .meta({
        description:
          'declined: outcome, ruleId, policyVersion, reason, guidance, heldBy; exchange.answered: exchange (an ExchangeRecord), links.records; investigation.requested: station, deadline, links.findings',
      }),
  })
  .meta({ id: 'Delivery' });

/** The answers' TypeScript types (what a handler builds; the zod output, before JSON). */
export type RequestView = z.output<typeof RequestViewSchema>;
export type MetricsSummary = z.output<typeof MetricsSummarySchema>;
