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
 *
 * zod/mini (issue 16, https://zod.dev/packages/mini): the OpenAPI metadata (description, examples, the
 * component `id`) is put in zod's global registry with `.register(z.globalRegistry, {…})`, mini's form of
 * classic `.meta({…})`; zod-openapi reads it from that registry (5.4.6 here; samchungy/zod-openapi#520). A
 * schema owned elsewhere (the policy's `KindNeedsSchema`) gets it on a copy, `withMeta(s, …)` (shared/schemas/meta.ts), as
 * classic `.meta()` did, so its other uses stay without it. No Lambda bundle imports this module
 * (tests/unit/infra/bundle-zod.test.ts).
 */
import { MESSAGE_TYPES } from '#shared/domain/deliveries.ts';
import { REQUEST_STATUSES } from '#shared/domain/request.ts';
import { ASKED_BY_CODES, EXCHANGE_QUESTIONS, OUTCOMES, TREATMENTS } from '#shared/domain/types.ts';
import { KindNeedsSchema } from '#shared/policy/policy.ts';
import { withMeta } from '#shared/schemas/meta.ts';
import * as z from '#shared/schemas/zod.ts';
import { BilingualSchema } from './bilingual.ts';

const isoTime = z
  .string()
  .register(z.globalRegistry, { description: 'ISO 8601 time (UTC)', examples: ['2026-11-23T02:00:00.000Z'] });

export { BilingualSchema } from './bilingual.ts';

/** RFC 9457 problem details, the one error form (`application/problem+json`). */
export const ProblemSchema = z
  .object({
    type: z.string().register(z.globalRegistry, {
      description: 'relative URI under /problems/ naming the kind of problem',
    }),
    title: z.string(),
    status: z.int(),
    detail: z.optional(z.string()),
    instance: z.optional(z.string()),
    errors: z
      .optional(
        z.array(
          z.object({
            path: z.string().register(z.globalRegistry, {
              description: "dotted field path, e.g. subject.idNumber; '' for the body",
            }),
            message: z
              .string()
              .register(z.globalRegistry, { description: 'Chinese / English, or the language of `locale`' }),
          }),
        ),
      )
      .register(z.globalRegistry, { description: 'validation failures (400), one per field' }),
    retryAfterSeconds: z
      .optional(z.int())
      .register(z.globalRegistry, { description: '429: seconds until the next request is taken' }),
  })
  .register(z.globalRegistry, { id: 'Problem', description: 'RFC 9457 problem details' });

const links = <T extends Record<string, z.core.$ZodType>>(shape: T) => z.object(shape);

/** 202 of POST /v1/requests. */
export const AcceptedSchema = z
  .object({
    requestId: z.string(),
    accessToken: z.string().register(z.globalRegistry, {
      description: "bearer token for GET /v1/requests/{requestId} (the citizen's)",
    }),
    status: z.literal('RECEIVED'),
    links: z.catchall(links({ self: z.string() }), z.string()),
  })
  .register(z.globalRegistry, { id: 'Accepted' });

export const DecisionSchema = z
  .object({
    outcome: z.enum(OUTCOMES),
    ruleId: z.string(),
    policyVersion: z.string(),
    basis: z.optional(BilingualSchema),
    reason: BilingualSchema,
    guidance: BilingualSchema,
    heldBy: z
      .optional(z.string())
      .register(z.globalRegistry, { description: 'body that holds the fact (declined: ask it)' }),
    exchange: z
      .optional(z.object({ department: z.string(), question: z.optional(z.enum(EXCHANGE_QUESTIONS)) }))
      .register(z.globalRegistry, {
        description: 'ANSWERED_BY_EXCHANGE: which department was answered, to which question',
      }),
    commitment: z
      .optional(z.object({ department: z.string(), text: BilingualSchema }))
      .register(z.globalRegistry, {
        description: 'COMMITMENT_ACCEPTED (告知承诺制): the body that accepts it and the commitment text',
      }),
  })
  .register(z.globalRegistry, { id: 'Decision' });

export const CertificateViewSchema = z
  .object({
    number: z.string().register(z.globalRegistry, { examples: ['CC-20261123-7K2M9Q4X'] }),
    verificationCode: z
      .string()
      .register(z.globalRegistry, { description: '10 characters; the verify link carries it' }),
    issuedAt: isoTime,
    issuedBy: z.string().register(z.globalRegistry, { description: 'issuing station name' }),
    title: z.optional(z.object({ zh: z.string(), en: z.string() })),
    statement: z.optional(z.object({ zh: z.string(), en: z.string() })).register(z.globalRegistry, {
      description:
        'the full certified text in the kind’s uniform form (lines by \\n), full names and ID numbers',
    }),
    links: z.object({ verify: z.string() }),
  })
  .register(z.globalRegistry, { id: 'CertificateView' });

export const HistoryEntrySchema = z
  .object({
    at: isoTime,
    type: z
      .string()
      .register(z.globalRegistry, { description: 'RECEIVED, CHECKED, DECLINED, ISSUED, ESCALATED, …' }),
    actor: z.optional(z.string()).register(z.globalRegistry, {
      description: 'staff only: applicant, system, officer:…, supervisor:…, department:CODE',
    }),
    detail: z.record(z.string(), z.unknown()),
  })
  .register(z.globalRegistry, { id: 'HistoryEntry' });

/** 200 of GET /v1/requests/{requestId}. */
export const RequestViewSchema = z
  .object({
    requestId: z.string(),
    proof: z.string(),
    status: z.enum(REQUEST_STATUSES),
    input: z
      .optional(z.record(z.string(), z.unknown()))
      .register(z.globalRegistry, { description: 'staff only: the facts as filed, every ID number masked' }),
    decision: z.optional(DecisionSchema),
    station: z.optional(z.string()),
    stationInfo: z
      .optional(
        z.object({
          name: z.string(),
          address: z.optional(z.string()),
          hours: z.optional(BilingualSchema),
        }),
      )
      .register(z.globalRegistry, {
        description: "the competent station as citizens see it (the registry's name, address, hours)",
      }),
    filing: z
      .optional(
        z.object({
          acceptedAt: z
            .string()
            .register(z.globalRegistry, { description: 'the station it was filed at, or ONLINE' }),
          handledAt: z
            .optional(z.string())
            .register(z.globalRegistry, { description: 'the competent station (decision, certificate)' }),
          collectAt: z
            .optional(z.string())
            .register(z.globalRegistry, { description: 'where the applicant collects it' }),
        }),
      )
      .register(z.globalRegistry, {
        description: '收受分离: accepted anywhere, handled at the competent station',
      }),
    acceptedAt: isoTime,
    finishedAt: z
      .optional(isoTime)
      .register(z.globalRegistry, { description: 'when the request reached its final status' }),
    deadline: z.optional(isoTime),
    deadlineProvisional: z.optional(z.boolean()),
    escalationLevel: z.int().check(z.gte(0)),
    certificate: z.optional(CertificateViewSchema),
    writtenReply: z.optional(CertificateViewSchema).register(z.globalRegistry, {
      description: '书面告知: the written reply of a decline or a refusal, verifiable like a certificate',
    }),
    finding: z.optional(
      z.object({
        outcome: z.enum(['CONFIRMED', 'REFUTED']),
        note: z.optional(z.string()),
        at: isoTime,
        by: z.optional(z.string()).register(z.globalRegistry, { description: 'staff only' }),
      }),
    ),
    history: z.array(HistoryEntrySchema),
  })
  .register(z.globalRegistry, { id: 'RequestView' });

/** 202 of the officer and the department findings. */
export const FindingAcceptedSchema = z
  .object({
    requestId: z.string(),
    outcome: z.enum(['CONFIRMED', 'REFUTED']),
    reportedBy: z.string(),
    status: z.literal('ACCEPTED'),
    links: z.optional(z.object({ request: z.string() })),
    webhookId: z
      .optional(z.string())
      .register(z.globalRegistry, { description: 'department findings: the webhook-id answered' }),
  })
  .register(z.globalRegistry, { id: 'FindingAccepted' });

export const CatalogueKindSchema = z
  .object({
    code: z.string(),
    name: BilingualSchema,
    treatment: z.enum(TREATMENTS),
    ruleId: z.string(),
    basis: BilingualSchema,
    heldBy: z.optional(z.string()),
    heldByName: z.optional(BilingualSchema),
    explanation: BilingualSchema,
    // A copy: the policy's KindNeedsSchema stays without the description, as with classic `.meta()`.
    needs: withMeta(KindNeedsSchema, { description: 'which intake fields the kind needs' }),
    provenBy: z.optional(BilingualSchema),
    applicants: z.optional(z.record(z.string(), z.unknown())),
  })
  .register(z.globalRegistry, { id: 'CatalogueKind' });

/** 200 of GET /v1/catalogue. */
export const CatalogueSchema = z
  .object({
    policyVersion: z
      .string()
      .register(z.globalRegistry, { description: 'the version in force now', examples: ['jilin-2021'] }),
    effectiveFrom: z.string().register(z.globalRegistry, { description: 'YYYY-MM-DD' }),
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
      .register(z.globalRegistry, { description: 'every version the stack decides with, oldest first' }),
    kinds: z.array(CatalogueKindSchema),
    bodies: z.array(z.object({ code: z.string(), name: BilingualSchema, connected: z.boolean() })),
    purposes: z.array(z.object({ code: z.string(), name: BilingualSchema })),
    service: z.object({
      investigationWorkingDays: z.int(),
      warnWorkingDaysBefore: z.int(),
      escalationIntervalWorkingDays: z.int(),
    }),
  })
  .register(z.globalRegistry, { id: 'Catalogue' });

/** 200 of GET /v1/certificates/{number}. */
export const CertificateCheckSchema = z
  .object({
    valid: z.boolean(),
    number: z.string(),
    kind: z.string(),
    issuedAt: isoTime,
    issuedBy: z.string(),
    subjectName: z.string().register(z.globalRegistry, { description: 'masked, e.g. 黄*雨' }),
    status: z.enum(['VALID', 'REVOKED']),
    document: z.optional(z.enum(['CERTIFICATE', 'WRITTEN_REPLY'])),
    title: z.optional(z.object({ zh: z.string(), en: z.string() })),
    statement: z
      .optional(z.object({ zh: z.string(), en: z.string() }))
      .register(z.globalRegistry, { description: 'the certified text with names and ID numbers masked' }),
    validUntil: z
      .optional(z.string())
      .register(z.globalRegistry, { description: 'last valid Beijing day, YYYY-MM-DD' }),
  })
  .register(z.globalRegistry, { id: 'CertificateCheck' });

const counts = z.record(z.string(), z.int());

/** 200 of GET /v1/metrics/summary. */
export const MetricsSummarySchema = z
  .object({
    at: isoTime,
    total: z.int(),
    byStatus: counts,
    byOutcome: counts,
    decidedWithDeadline: z.int(),
    onTimeRate: z.nullable(z.number().check(z.gte(0), z.lte(1))),
    overdueNow: z.int(),
    escalatedNow: z.int(),
    certificatesIssued: z.int(),
    certificatesAvoided: z.int().register(z.globalRegistry, {
      description: 'declined under the three principles + answered by exchange',
    }),
    tripsSaved: z.int().register(z.globalRegistry, { description: '2 per avoided certificate' }),
    yuanSaved: z.int().register(z.globalRegistry, { description: '10 yuan per trip' }),
    series: z.array(z.object({ date: z.string(), byOutcome: counts })).register(z.globalRegistry, {
      description: 'the last 30 Beijing days, oldest first: finished requests by outcome',
    }),
  })
  .register(z.globalRegistry, { id: 'MetricsSummary' });

/** 200 of GET /v1/stations. */
export const StationsSchema = z
  .object({
    stations: z.array(z.object({ code: z.string(), name: z.string(), county: z.string(), city: z.string() })),
  })
  .register(z.globalRegistry, { id: 'Stations' });

/** One row of the officer console (queue, done list, search, supervision lists): names and ID numbers masked. */
export const ConsoleRowSchema = z
  .object({
    requestId: z.string(),
    reference: z.string().register(z.globalRegistry, {
      description: 'the last 8 characters of the request number (as SMS messages name it)',
    }),
    proof: z.string(),
    status: z.enum(REQUEST_STATUSES),
    acceptedAt: isoTime,
    deadline: z.optional(isoTime),
    deadlineProvisional: z.boolean(),
    overdue: z.boolean(),
    warned: z.boolean(),
    escalationLevel: z.int(),
    askedBy: z.optional(z.enum(ASKED_BY_CODES)),
    purpose: z.optional(z.string()),
    subject: z
      .object({ name: z.string(), idNumber: z.string() })
      .register(z.globalRegistry, { description: 'masked' }),
    relatedPerson: z
      .optional(z.object({ name: z.string() }))
      .register(z.globalRegistry, { description: 'masked' }),
    reason: z.optional(BilingualSchema),
    assignee: z
      .optional(z.string())
      .register(z.globalRegistry, { description: 'the officer working it (claimed or assigned)' }),
    outcome: z.optional(z.string()),
    finishedAt: z.optional(isoTime),
    station: z.optional(z.string()),
    waiting: z.boolean().register(z.globalRegistry, { description: 'the workflow waits for a finding' }),
    links: z.object({ self: z.string(), findings: z.string() }),
  })
  .register(z.globalRegistry, { id: 'ConsoleRow' });

/** 200 of GET /v1/stations/{station}/queue. */
export const StationQueueSchema = z
  .object({
    station: z.string(),
    items: z.array(
      z.extend(ConsoleRowSchema, {
        role: z
          .literal('HANDLING')
          .register(z.globalRegistry, { description: 'this station is the competent one' }),
      }),
    ),
    cursor: z
      .optional(z.string())
      .register(z.globalRegistry, { description: 'pass as ?cursor= for the next page' }),
    truncated: z
      .optional(z.boolean())
      .register(z.globalRegistry, { description: 'a filtered listing read its 500 requests and stopped' }),
    accepted: z
      .optional(
        z.array(
          z.object({
            requestId: z.string(),
            reference: z
              .string()
              .register(z.globalRegistry, { description: 'the last 8 characters of the request number' }),
            role: z.literal('ACCEPTING'),
            proof: z.string(),
            status: z.enum(REQUEST_STATUSES),
            acceptedAt: isoTime,
            handlingStation: z.optional(z.string()),
            collectAt: z.string(),
            deadline: z.optional(isoTime),
            subject: z
              .object({ name: z.string(), idNumber: z.string() })
              .register(z.globalRegistry, { description: 'masked' }),
            links: z.object({ self: z.string() }),
          }),
        ),
      )
      .register(z.globalRegistry, {
        description: 'first page only: requests filed here, handled at the competent station (收受分离)',
      }),
    checks: z
      .optional(
        z.array(
          z.object({
            checkId: z.string(),
            exchangeId: z.string(),
            station: z.string(),
            department: z.string(),
            question: z.string(),
            questionName: BilingualSchema,
            subject: z.record(z.string(), z.unknown()).register(z.globalRegistry, { description: 'masked' }),
            reason: z.string(),
            openedAt: isoTime,
            status: z.enum(['OPEN']),
          }),
        ),
      )
      .register(z.globalRegistry, {
        description: 'first page only: checks opened by disputed exchange answers (结果反馈)',
      }),
  })
  .register(z.globalRegistry, { id: 'StationQueue' });

/** 200 of POST /v1/requests/search. */
export const SearchResultSchema = z
  .object({ items: z.array(ConsoleRowSchema) })
  .register(z.globalRegistry, { id: 'SearchResult' });

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
          .optional(
            z.object({
              name: z.string(),
              gender: z.enum(['M', 'F']),
              birthDate: z.string(),
              ethnicity: z.string(),
              relationToHead: z.string(),
              householdId: z.string(),
              station: z.string(),
              address: z.string(),
            }),
          )
          .register(z.globalRegistry, {
            description: 'the population registry record; absent when the registry holds none',
          }),
      }),
    ),
  })
  .register(z.globalRegistry, { id: 'Revealed' });

/** 200 of GET /v1/supervision. */
export const SupervisionSchema = z
  .object({
    at: isoTime,
    from: z.string(),
    to: z.string(),
    station: z.optional(z.string()),
    today: z.string(),
    stations: z.array(
      z.object({
        station: z.string(),
        name: z.optional(z.string()),
        open: z.int(),
        overdue: z.int(),
        escalated: z.int(),
        finished: z.int().register(z.globalRegistry, { description: 'finished within the range' }),
        byOutcome: z.record(z.string(), z.int()),
        onTime: z.int(),
        late: z.int(),
      }),
    ),
    officers: z.array(z.object({ officer: z.string(), open: z.int(), overdue: z.int(), finished: z.int() })),
    overdue: z.array(ConsoleRowSchema),
    escalated: z.array(ConsoleRowSchema),
    truncated: z
      .boolean()
      .register(z.globalRegistry, { description: 'a status had more requests than the report reads' }),
  })
  .register(z.globalRegistry, { id: 'Supervision' });

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
  .register(z.globalRegistry, {
    id: 'DockingRoute',
    description: 'level-by-level docking (逐级对接): every hop there and back',
  });

const FeedbackSchema = z
  .object({
    outcome: z.enum(['ACCEPTED', 'DISPUTED']),
    reason: z.optional(z.string()),
    at: isoTime,
    checkId: z.optional(z.string()),
  })
  .register(z.globalRegistry, { id: 'Feedback' });

export const ExchangeRecordSchema = z
  .object({
    exchangeId: z.string(),
    department: z.string(),
    origin: z.enum(['REQUEST', 'QUERY', 'SUBSCRIPTION']),
    mechanism: z.enum(['RESULT_FEEDBACK', 'AD_HOC_VERIFICATION', 'PERIODIC_EXCHANGE', 'LEVEL_BY_LEVEL']),
    question: z.string(),
    subject: z
      .record(z.string(), z.unknown())
      .register(z.globalRegistry, { description: 'masked name and ID number' }),
    answer: z.record(z.string(), z.unknown()),
    source: z.string(),
    answeredAt: isoTime,
    requestId: z.optional(z.string()),
    purpose: z.optional(z.string()),
    reference: z.optional(z.string()),
    station: z
      .optional(z.string())
      .register(z.globalRegistry, { description: "the subject's registration station" }),
    route: z.optional(DockingRouteSchema),
    feedback: z.optional(FeedbackSchema),
    ruleId: z.optional(z.string()).register(z.globalRegistry, {
      description: 'the rule the exchange was answered under (result feedback)',
    }),
  })
  .register(z.globalRegistry, { id: 'ExchangeRecord' });

/** 200 of POST /v1/exchange/queries. */
export const ExchangeAnswerSchema = z
  .object({
    exchangeId: z.string(),
    question: z.enum(EXCHANGE_QUESTIONS),
    answer: z.record(z.string(), z.unknown()),
    answeredAt: isoTime,
    source: z.string(),
    route: z
      .optional(DockingRouteSchema)
      .register(z.globalRegistry, { description: 'for a body docked level by level' }),
  })
  .register(z.globalRegistry, { id: 'ExchangeAnswer' });

/** A subscription (periodic exchange) as GET / POST /v1/exchange/subscriptions show it. */
export const SubscriptionSchema = z
  .object({
    department: z.string(),
    changeTypes: z.array(z.string()),
    people: z.int().register(z.globalRegistry, { description: 'people registered (the body’s caseload)' }),
    createdAt: isoTime,
    updatedAt: isoTime,
    lastAcknowledgedAt: z.optional(isoTime),
    lastBatchId: z.optional(z.string()),
    pendingAttempts: z
      .int()
      .register(z.globalRegistry, { description: 'failed deliveries of the pending batch' }),
    lastError: z.optional(z.string()),
    delivered: z.int(),
    deadLettered: z.int(),
  })
  .register(z.globalRegistry, { id: 'Subscription' });

/** 200 of POST /v1/exchange/subscriptions. */
export const SubscribedSchema = z
  .object({ subscription: SubscriptionSchema, added: z.int(), removed: z.int() })
  .register(z.globalRegistry, { id: 'Subscribed' });

/** 200 of GET /v1/exchange/subscriptions. */
export const SubscriptionAnswerSchema = z
  .object({ subscription: SubscriptionSchema })
  .register(z.globalRegistry, { id: 'SubscriptionAnswer' });

/** 201 / 200 of POST /v1/registry/changes. */
export const ChangeRecordedSchema = z
  .object({
    changeId: z.string(),
    type: z.string(),
    recordedAt: isoTime,
    subscribers: z.int().register(z.globalRegistry, { description: 'subscribers whose feed it went to' }),
    replayed: z.boolean(),
  })
  .register(z.globalRegistry, { id: 'ChangeRecorded' });

/** 200 of POST /v1/exchange/records/{exchangeId}/feedback. */
export const FeedbackAnswerSchema = z
  .object({
    exchangeId: z.string(),
    feedback: FeedbackSchema,
    check: z
      .optional(z.record(z.string(), z.unknown()))
      .register(z.globalRegistry, { description: 'the check a dispute opened' }),
  })
  .register(z.globalRegistry, { id: 'FeedbackAnswer' });

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
          idNumber: z
            .string()
            .register(z.globalRegistry, { description: 'in full: the subscriber registered this person' }),
          name: z.optional(z.string()),
          effectiveOn: z.string(),
          station: z.string(),
          details: z.record(z.string(), z.unknown()),
        }),
      ),
      acknowledge: z.string(),
    }),
  })
  .register(z.globalRegistry, { id: 'ChangesDelivery' });

/** 200 of GET /v1/exchange/records. */
export const ExchangeRecordsSchema = z
  .object({
    department: z.string(),
    records: z.array(ExchangeRecordSchema),
    cursor: z.optional(z.string()),
    links: z.optional(z.object({ next: z.string() })),
  })
  .register(z.globalRegistry, { id: 'ExchangeRecords' });

/** What certflow POSTs to a department endpoint (signed, Standard Webhooks). */
export const DeliverySchema = z
  .object({
    type: z.enum(MESSAGE_TYPES),
    timestamp: isoTime,
    data: z
      .catchall(
        z.object({
          requestId: z.string(),
          proof: z.string(),
          subject: z
            .object({ name: z.string(), idNumber: z.string() })
            .register(z.globalRegistry, { description: 'masked' }),
          purpose: z.optional(z.string()),
        }),
        z.unknown(),
      )
      .register(z.globalRegistry, {
        description:
          'declined: outcome, ruleId, policyVersion, reason, guidance, heldBy; exchange.answered: exchange (an ExchangeRecord), links.records; investigation.requested: station, deadline, links.findings',
      }),
  })
  .register(z.globalRegistry, { id: 'Delivery' });

/** The answers' TypeScript types (what a handler builds; the zod output, before JSON). */
export type RequestView = z.output<typeof RequestViewSchema>;
export type MetricsSummary = z.output<typeof MetricsSummarySchema>;
