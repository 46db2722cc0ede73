/**
 * The accountability routes of the OpenAPI document (document.ts spreads them into its paths): complaints,
 * the supervisor's finding and lists, the rating of a request, the public per-station figures.
 */
import type { ZodOpenApiOperationObject } from 'zod-openapi';
import {
  AccountabilityRecordsSchema,
  ComplaintAcceptedSchema,
  ComplaintFindingAcceptedSchema,
  ComplaintListSchema,
  ComplaintViewSchema,
  RatingAcceptedSchema,
  ReviewClosedSchema,
  ReviewListSchema,
  TransparencyAccountabilitySchema,
} from '#shared/schemas/accountability-responses.ts';
import {
  ComplaintFindingSchema,
  ComplaintSchema,
  RatingSchema,
  ReviewClosureSchema,
} from '#shared/schemas/complaint.ts';
import { withMeta } from '#shared/schemas/meta.ts';
import * as z from '#shared/schemas/zod.ts';

/** The document's helpers (document.ts), passed in to keep one definition of each. */
export interface PathHelpers {
  ok: <T extends z.core.$ZodType>(status: number, description: string, schema: T) => Record<string, unknown>;
  problems: (...statuses: number[]) => Record<string, unknown>;
  jsonBody: <T extends z.core.$ZodType>(schema: T) => unknown;
}

const complaintId = z.object({
  complaintId: z.string().register(z.globalRegistry, { examples: ['C01KM2Y4B3T0D7W8Q5E6R7T8Y9U'] }),
});
const requestId = z.object({
  requestId: z.string().register(z.globalRegistry, { examples: ['r_01KM2Y4B3T0D7W8Q'] }),
});
const page = {
  limit: z.optional(z.string()).register(z.globalRegistry, { description: 'integer 1–200, default 50' }),
  cursor: z.optional(z.string()),
};
const supervisor = [{ staffToken: [] }];

export function accountabilityPaths(
  h: PathHelpers,
): Record<string, Record<string, ZodOpenApiOperationObject>> {
  const op = (o: Record<string, unknown>) => o as unknown as ZodOpenApiOperationObject;
  return {
    '/v1/complaints': {
      post: op({
        operationId: 'fileComplaint',
        summary:
          'File a complaint (投诉举报): 应开不开、吃拿卡要、故意为难, an abolished demand, a missed deadline',
        description:
          'No sign-in. Names a request (linked; the station is known) or a station. Limited per phone number a day and per client address an hour (shared/policy/accountability.json). Nothing is stored on a 4xx.',
        security: [],
        requestBody: h.jsonBody(withMeta(ComplaintSchema, { id: 'Complaint' })),
        responses: {
          ...h.ok(
            202,
            'accepted; its workflow assigns it to the supervisor above the station',
            ComplaintAcceptedSchema,
          ),
          ...h.problems(400, 413, 415, 429),
        },
      }),
      get: op({
        operationId: 'listComplaints',
        summary: 'Complaints by deadline (supervisors); without status the waiting ones',
        security: supervisor,
        requestParams: {
          query: z.object({
            status: z.optional(z.string()).register(z.globalRegistry, {
              description: 'ACCEPTED, ASSIGNED, ESCALATED, UPHELD or NOT_UPHELD',
            }),
            ...page,
          }),
        },
        responses: {
          ...h.ok(200, 'complaints, contacts masked', ComplaintListSchema),
          ...h.problems(400, 401, 403),
        },
      }),
    },
    '/v1/complaints/{complaintId}': {
      get: op({
        operationId: 'getComplaint',
        summary: 'A complaint: status, assignment, deadline, finding, history',
        security: [{ accessToken: [] }, { staffToken: [] }],
        requestParams: { path: complaintId },
        responses: { ...h.ok(200, 'the complaint', ComplaintViewSchema), ...h.problems(401, 404) },
      }),
    },
    '/v1/complaints/{complaintId}/findings': {
      post: op({
        operationId: 'submitComplaintFinding',
        summary: "A supervisor's finding: UPHELD (an accountability record) or NOT_UPHELD",
        security: supervisor,
        requestParams: { path: complaintId },
        requestBody: h.jsonBody(withMeta(ComplaintFindingSchema, { id: 'ComplaintFinding' })),
        responses: {
          ...h.ok(202, 'the waiting complaint workflow concludes it', ComplaintFindingAcceptedSchema),
          ...h.problems(400, 401, 403, 404, 409, 413, 415),
        },
      }),
    },
    '/v1/requests/{requestId}/rating': {
      post: op({
        operationId: 'rateRequest',
        summary: 'Rate a closed request once (好差评), with its access token',
        security: [{ accessToken: [] }],
        requestParams: { path: requestId },
        requestBody: h.jsonBody(withMeta(RatingSchema, { id: 'Rating' })),
        responses: {
          ...h.ok(201, 'rated; a poor rating opens a review', RatingAcceptedSchema),
          ...h.problems(400, 401, 404, 409, 413, 415),
        },
      }),
    },
    '/v1/reviews': {
      get: op({
        operationId: 'listReviews',
        summary: 'Poor ratings open for review (supervisors)',
        security: supervisor,
        requestParams: { query: z.object(page) },
        responses: {
          ...h.ok(200, 'open reviews, oldest first', ReviewListSchema),
          ...h.problems(400, 401, 403),
        },
      }),
    },
    '/v1/reviews/{requestId}/close': {
      post: op({
        operationId: 'closeReview',
        summary: 'Close a poor-rating review (差评回访) with an outcome and a remark (supervisors)',
        security: supervisor,
        requestParams: { path: requestId },
        requestBody: h.jsonBody(withMeta(ReviewClosureSchema, { id: 'ReviewClosure' })),
        responses: {
          ...h.ok(200, 'closed; it leaves the open reviews', ReviewClosedSchema),
          ...h.problems(400, 401, 403, 404, 409, 413, 415),
        },
      }),
    },
    '/v1/accountability': {
      get: op({
        operationId: 'getAccountability',
        summary:
          "An officer's accountability records and rating figures, or an asking body's records (supervisors)",
        security: supervisor,
        requestParams: {
          query: z.object({
            officer: z
              .optional(z.string())
              .register(z.globalRegistry, { description: 'the officer (as findings name them)' }),
            body: z
              .optional(z.string())
              .register(z.globalRegistry, { description: 'or an asking body’s code' }),
            ...page,
          }),
        },
        responses: {
          ...h.ok(200, 'records, newest first', AccountabilityRecordsSchema),
          ...h.problems(400, 401, 403),
        },
      }),
    },
    '/v1/transparency/accountability': {
      get: op({
        operationId: 'getTransparencyAccountability',
        summary: 'Public per-station figures: on-time rate, complaints received and upheld, ratings',
        description: 'Aggregates only: no names, phone numbers, officers or complaint texts.',
        security: [],
        responses: h.ok(200, 'the figures', TransparencyAccountabilitySchema),
      }),
    },
  };
}
