/**
 * The answers of the accountability routes (complaints, ratings, supervision lists, the public figures)
 * as zod schemas, beside responses.ts (same conventions: exact fields, ISO 8601 UTC times). The OpenAPI
 * document (shared/openapi/accountability-paths.ts) is generated from these.
 */
import { COMPLAINT_OUTCOMES, COMPLAINT_STATUSES, REVIEW_OUTCOMES } from '#shared/domain/complaint.ts';
import { COMPLAINT_KINDS } from '#shared/policy/accountability.ts';
import * as z from '#shared/schemas/zod.ts';
import { BilingualSchema } from './bilingual.ts';

const isoTime = z
  .string()
  .register(z.globalRegistry, { description: 'ISO 8601 time (UTC)', examples: ['2026-11-23T02:00:00.000Z'] });

export const ComplaintAcceptedSchema = z
  .object({
    complaintId: z.string(),
    accessToken: z.string().register(z.globalRegistry, {
      description: 'bearer token for GET /v1/complaints/{complaintId}; shown once',
    }),
    status: z.literal('ACCEPTED'),
    links: z.object({ self: z.string() }),
  })
  .register(z.globalRegistry, { id: 'ComplaintAccepted' });

const AssignmentSchema = z
  .object({
    level: z.int().register(z.globalRegistry, {
      description: '1 = the county bureau above the station, 2 the city bureau, 3 the province',
    }),
    unit: BilingualSchema,
  })
  .register(z.globalRegistry, { id: 'ComplaintAssignment' });

const complaintFields = {
  complaintId: z.string(),
  kind: z.enum(COMPLAINT_KINDS),
  status: z.enum(COMPLAINT_STATUSES),
  text: z.string().register(z.globalRegistry, {
    description: 'as filed; plain text (pages render it as text, never HTML)',
  }),
  requestId: z.optional(z.string()),
  station: z.optional(z.string()),
  officer: z.optional(z.string()),
  body: z.optional(z.string()),
  certificateKind: z.optional(z.string()),
  contact: z.object({ name: z.string(), phone: z.string() }).register(z.globalRegistry, {
    description: 'masked (黄*雨, 138****5678) for all but the assigned supervisor',
  }),
  acceptedAt: isoTime,
  assignment: z.optional(AssignmentSchema),
  deadline: z.optional(isoTime),
  deadlineProvisional: z.optional(z.boolean()),
  finding: z.optional(
    z.object({
      outcome: z.enum(COMPLAINT_OUTCOMES),
      note: z.string(),
      at: isoTime,
      by: z.optional(z.string()).register(z.globalRegistry, { description: 'supervisors only' }),
      officer: z.optional(z.string()).register(z.globalRegistry, { description: 'supervisors only' }),
    }),
  ),
  finishedAt: z.optional(isoTime),
};

export const ComplaintViewSchema = z
  .object({
    ...complaintFields,
    history: z.array(
      z.object({
        at: isoTime,
        type: z.string(),
        actor: z.optional(z.string()).register(z.globalRegistry, { description: 'supervisors only' }),
        detail: z.optional(z.record(z.string(), z.unknown())),
      }),
    ),
    links: z.object({ self: z.string() }),
  })
  .register(z.globalRegistry, { id: 'ComplaintView' });

export const ComplaintListSchema = z
  .object({
    items: z.array(
      z.object({ ...complaintFields, overdue: z.boolean(), links: z.object({ self: z.string() }) }),
    ),
    cursor: z.optional(z.string()),
  })
  .register(z.globalRegistry, { id: 'ComplaintList' });

export const ComplaintFindingAcceptedSchema = z
  .object({
    complaintId: z.string(),
    outcome: z.enum(COMPLAINT_OUTCOMES),
    status: z.literal('ACCEPTED'),
    links: z.object({ complaint: z.string() }),
  })
  .register(z.globalRegistry, { id: 'ComplaintFindingAccepted' });

export const RatingAcceptedSchema = z
  .object({
    requestId: z.string(),
    score: z.int(),
    review: z
      .enum(['OPEN', 'NONE'])
      .register(z.globalRegistry, { description: 'OPEN: a poor rating opened a supervisor review' }),
    links: z.object({ request: z.string() }),
  })
  .register(z.globalRegistry, { id: 'RatingAccepted' });

export const ReviewListSchema = z
  .object({
    items: z.array(
      z.object({
        requestId: z.string(),
        score: z.int(),
        text: z.string(),
        at: isoTime,
        station: z.optional(z.string()),
        officer: z.optional(z.string()),
        links: z.object({ request: z.string() }),
      }),
    ),
    cursor: z.optional(z.string()),
  })
  .register(z.globalRegistry, { id: 'ReviewList' });

/** 200 of POST /v1/reviews/{requestId}/close: the closed review. */
export const ReviewClosedSchema = z
  .object({
    requestId: z.string(),
    score: z.int(),
    review: z.literal('CLOSED'),
    closure: z.object({
      outcome: z.enum(REVIEW_OUTCOMES),
      remark: z.string(),
      by: z.string().register(z.globalRegistry, { description: 'the supervisor, `supervisor:{name}`' }),
      at: isoTime,
    }),
    links: z.object({ request: z.string() }),
  })
  .register(z.globalRegistry, { id: 'ReviewClosed' });

export const AccountabilityRecordsSchema = z
  .object({
    officer: z.optional(z.string()),
    body: z
      .optional(z.string())
      .register(z.globalRegistry, { description: 'with ?body=: the asking body (no rating figures)' }),
    records: z.array(
      z.object({
        recordId: z.string(),
        subject: z.enum(['OFFICER', 'BODY']),
        officer: z.optional(z.string()),
        body: z.optional(z.string()),
        station: z.optional(z.string()),
        complaintId: z.string(),
        kind: z.enum(COMPLAINT_KINDS),
        note: z.string(),
        decidedBy: z.string(),
        at: isoTime,
      }),
    ),
    ratings: z.optional(z.object({ count: z.int(), average: z.nullable(z.number()), poor: z.int() })),
    cursor: z.optional(z.string()),
  })
  .register(z.globalRegistry, { id: 'AccountabilityRecords' });

export const TransparencyAccountabilitySchema = z
  .object({
    generatedAt: isoTime,
    stations: z.array(
      z.object({
        station: z.string(),
        name: z.string(),
        finished: z.int(),
        onTimeRate: z
          .nullable(z.number())
          .register(z.globalRegistry, { description: 'share of finished requests on time, 0–1' }),
        complaintsReceived: z.int(),
        complaintsUpheld: z.int(),
        complaintsOpen: z.int(),
        ratings: z.int(),
        ratingAverage: z.nullable(z.number()),
      }),
    ),
    policy: z.object({
      findingWorkingDays: z.int(),
      escalationIntervalWorkingDays: z.int(),
      source: BilingualSchema,
    }),
    kinds: z.array(z.object({ code: z.enum(COMPLAINT_KINDS), name: BilingualSchema })),
  })
  .register(z.globalRegistry, { id: 'TransparencyAccountability' });
