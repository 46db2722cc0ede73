/**
 * The OpenAPI 3.1 document of certflow's HTTP API, generated with `zod-openapi` from the zod schemas the
 * handlers validate with (shared/schemas/intake.ts) and the response schemas (shared/schemas/responses.ts).
 * `npm run openapi` writes it to shared/openapi/openapi.json, which `GET /v1/openapi.json`
 * (functions/http/openapi.ts) serves and the web page /api renders. docs/api.md is the prose reference.
 *
 * Every route of the function list (functions/function-list.ts) is a path here with the same method and
 * path, and none else (tests/unit/openapi/document.test.ts). Security schemes: `accessToken` (the
 * citizen's per-request bearer token), `staffToken` (an officer's / supervisor's bearer token: a Cognito
 * JWT on AWS, an opaque demo token locally), `departmentSignature` (Standard Webhooks headers signed with
 * the department's secret). What certflow sends to departments is under `webhooks`.
 *
 * zod/mini: metadata goes in zod's global registry, `.register(z.globalRegistry, {…})`, which zod-openapi
 * reads (as it read classic `.meta()`). A request schema the handlers own gets its component id on a copy,
 * `withMeta(s, { id })` (classic `.meta()` copied too), so theirs stays untagged.
 */
import { createDocument, type ZodOpenApiOperationObject } from 'zod-openapi';
import {
  AssignBodySchema,
  RevealBodySchema,
  SearchBodySchema,
  SupervisionQuerySchema,
} from '#shared/schemas/casework.ts';
import {
  AbolishedDemandReportSchema,
  AbolishedDemandsSchema,
  CitizenCodeRequestSchema,
  CitizenCodeSentSchema,
  CitizenRequestsSchema,
  CitizenSessionRequestSchema,
  CitizenSessionSchema,
  DataTrackerSchema,
} from '#shared/schemas/citizen.ts';
import {
  ExchangeQuerySchema,
  FeedbackBodySchema,
  RegistryChangeSchema,
  SubscriptionBodySchema,
} from '#shared/schemas/exchange.ts';
import { DepartmentFindingsSchema, FindingsBodySchema } from '#shared/schemas/findings.ts';
import { intakeRequestSchema } from '#shared/schemas/intake.ts';
import { withMeta } from '#shared/schemas/meta.ts';
import {
  AcceptedSchema,
  CatalogueSchema,
  CertificateCheckSchema,
  ChangeRecordedSchema,
  ChangesDeliverySchema,
  ConsoleRowSchema,
  DeliverySchema,
  ExchangeAnswerSchema,
  ExchangeRecordsSchema,
  FeedbackAnswerSchema,
  FindingAcceptedSchema,
  MetricsSummarySchema,
  ProblemSchema,
  RequestViewSchema,
  RevealedSchema,
  SearchResultSchema,
  StationQueueSchema,
  StationsSchema,
  SubscribedSchema,
  SubscriptionAnswerSchema,
  SupervisionSchema,
} from '#shared/schemas/responses.ts';
import * as z from '#shared/schemas/zod.ts';
import { accountabilityPaths } from './accountability-paths.ts';

const PROBLEM_TEXT: Record<number, string> = {
  400: 'bad input (`errors` names each field)',
  401: 'no or bad credentials, or a signature older or newer than 5 minutes',
  403: 'not allowed',
  404: 'unknown, or not visible to the caller',
  409: 'conflict (e.g. a finding for a request that is not waiting)',
  413: 'body over 64 KiB',
  415: 'body is not JSON',
  422: 'Idempotency-Key reused with another body',
  429: 'too many requests; see Retry-After',
};

function problems(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((s) => [
      String(s),
      {
        description: PROBLEM_TEXT[s] ?? 'problem',
        content: { 'application/problem+json': { schema: ProblemSchema } },
      },
    ]),
  );
}

function ok<T extends z.core.$ZodType>(status: number, description: string, schema: T) {
  return { [String(status)]: { description, content: { 'application/json': { schema } } } };
}

function jsonBody<T extends z.core.$ZodType>(schema: T) {
  return { required: true, content: { 'application/json': { schema } } };
}

const signatureHeaders = z.object({
  'webhook-id': z
    .string()
    .register(z.globalRegistry, { description: 'unique message id; a replay gets the first answer' }),
  'webhook-timestamp': z
    .string()
    .register(z.globalRegistry, { description: 'Unix seconds; at most 5 minutes off' }),
  'webhook-signature': z.string().register(z.globalRegistry, {
    description: 'v1,<base64 HMAC-SHA256 of {id}.{timestamp}.{body}>, space-separated',
  }),
});

const requestId = z.object({
  requestId: z.string().register(z.globalRegistry, { examples: ['r_01KM2Y4B3T0D7W8Q'] }),
});
const signed = [{ departmentSignature: [] }];
const staff = [{ staffToken: [] }];
const citizen = [{ citizenSession: [] }];

const paths: Record<string, Record<string, ZodOpenApiOperationObject>> = {
  '/v1/requests': {
    post: {
      operationId: 'submitRequest',
      summary: 'File a certificate request',
      description:
        'Validates, stores and starts the workflow. The same Idempotency-Key with the same body returns the first answer. Limited per client address (default 120 a minute).',
      security: [],
      requestParams: {
        header: z.object({
          'idempotency-key': z
            .optional(z.string().check(z.maxLength(200)))
            .register(z.globalRegistry, { description: 'repeat-safe submission' }),
        }),
      },
      requestBody: jsonBody(withMeta(intakeRequestSchema(), { id: 'IntakeRequest' })),
      responses: {
        ...ok(202, 'accepted; the workflow runs', AcceptedSchema),
        ...problems(400, 413, 415, 422, 429),
      },
    },
  },
  '/v1/requests/{requestId}': {
    get: {
      operationId: 'getRequest',
      summary: 'Status, decision, certificate and history of a request',
      security: [{ accessToken: [] }, { staffToken: [] }],
      requestParams: { path: requestId },
      responses: { ...ok(200, 'the request', RequestViewSchema), ...problems(401, 404) },
    },
  },
  '/v1/requests/{requestId}/findings': {
    post: {
      operationId: 'submitOfficerFinding',
      summary: "An officer's finding: CONFIRMED issues, REFUTED refuses with the note",
      security: staff,
      requestParams: { path: requestId },
      requestBody: jsonBody(withMeta(FindingsBodySchema, { id: 'OfficerFinding' })),
      responses: {
        ...ok(202, 'the waiting workflow resumes', FindingAcceptedSchema),
        ...problems(400, 401, 403, 404, 409, 413, 415),
      },
    },
  },
  '/v1/webhooks/{department}/findings': {
    post: {
      operationId: 'submitDepartmentFinding',
      summary: "A connected department's signed finding",
      security: signed,
      requestParams: {
        path: z.object({
          department: z.string().register(z.globalRegistry, { examples: ['CIVIL_AFFAIRS'] }),
        }),
        header: signatureHeaders,
      },
      requestBody: jsonBody(withMeta(DepartmentFindingsSchema, { id: 'DepartmentFinding' })),
      responses: {
        ...ok(202, 'the waiting workflow resumes (a replay answers the same)', FindingAcceptedSchema),
        ...problems(400, 401, 403, 404, 409, 413, 415),
      },
    },
  },
  '/v1/exchange/queries': {
    post: {
      operationId: 'queryExchange',
      summary: 'Ad-hoc verification (信息流转) by a connected department',
      security: signed,
      requestParams: {
        query: z.object({
          department: z
            .optional(z.string())
            .register(z.globalRegistry, { description: 'the asking department (or x-certflow-department)' }),
        }),
        header: z.extend(signatureHeaders, { 'x-certflow-department': z.optional(z.string()) }),
      },
      requestBody: jsonBody(withMeta(ExchangeQuerySchema, { id: 'ExchangeQuery' })),
      responses: {
        ...ok(200, 'the answer, kept as an exchange record', ExchangeAnswerSchema),
        ...problems(400, 401, 403, 413, 415),
      },
    },
  },
  '/v1/exchange/records': {
    get: {
      operationId: 'listExchangeRecords',
      summary: "A department's exchange records, newest first (结果反馈)",
      description: 'Signed by the department over an empty body, or a department or staff token.',
      security: [{ departmentSignature: [] }, { staffToken: [] }],
      requestParams: {
        query: z.object({
          department: z.string(),
          limit: z
            .optional(z.string())
            .register(z.globalRegistry, { description: 'integer 1–100, default 20' }),
          cursor: z.optional(z.string()),
        }),
      },
      responses: { ...ok(200, 'one page of records', ExchangeRecordsSchema), ...problems(400, 401) },
    },
  },
  '/v1/exchange/subscriptions': {
    post: {
      operationId: 'subscribeExchange',
      summary: 'Periodic exchange (定期交换): subscribe to registry changes about the body’s own caseload',
      description:
        'changeTypes replaces the subscription’s; people registers ID numbers (at most 1,000 a call), remove takes them off. Never a bulk copy of the registry. Each hourly run then sends the body its changes since the last acknowledged batch (webhook changesDelivery).',
      security: signed,
      requestParams: {
        query: z.object({ department: z.optional(z.string()) }),
        header: z.extend(signatureHeaders, { 'x-certflow-department': z.optional(z.string()) }),
      },
      requestBody: jsonBody(SubscriptionBodySchema),
      responses: {
        ...ok(200, 'the subscription, with how many people were added and removed', SubscribedSchema),
        ...problems(400, 401, 403, 413, 415),
      },
    },
    get: {
      operationId: 'getExchangeSubscription',
      summary: 'The body’s subscription and its delivery state (signed over an empty body)',
      security: signed,
      requestParams: { query: z.object({ department: z.string() }), header: signatureHeaders },
      responses: { ...ok(200, 'the subscription', SubscriptionAnswerSchema), ...problems(400, 401, 404) },
    },
  },
  '/v1/registry/changes': {
    post: {
      operationId: 'recordRegistryChange',
      summary: 'The population registry’s change feed: one change, idempotent by changeId',
      description:
        'The registry system’s token (REGISTRY), an officer acting for the station, or a supervisor. 201 new, 200 replay, 409 the changeId with other facts.',
      security: staff,
      requestBody: jsonBody(RegistryChangeSchema),
      responses: {
        ...ok(201, 'recorded and put in its subscribers’ feeds', ChangeRecordedSchema),
        ...ok(200, 'a replay: answered as before', ChangeRecordedSchema),
        ...problems(400, 401, 403, 409, 413, 415),
      },
    },
  },
  '/v1/exchange/records/{exchangeId}/feedback': {
    post: {
      operationId: 'giveExchangeFeedback',
      summary: 'Result feedback (结果反馈): the receiving body accepted or disputed an answer',
      description: 'A dispute opens a check at the subject’s registration station (its queue shows it).',
      security: signed,
      requestParams: {
        path: z.object({ exchangeId: z.string() }),
        query: z.object({ department: z.optional(z.string()) }),
        header: z.extend(signatureHeaders, { 'x-certflow-department': z.optional(z.string()) }),
      },
      requestBody: jsonBody(FeedbackBodySchema),
      responses: {
        ...ok(200, 'the feedback kept (and the check opened)', FeedbackAnswerSchema),
        ...problems(400, 401, 404, 409, 413, 415),
      },
    },
  },
  '/v1/catalogue': {
    get: {
      operationId: 'getCatalogue',
      summary: 'Every proof kind of the policy, issuable or abolished',
      security: [],
      responses: ok(200, 'the catalogue (cacheable 5 minutes)', CatalogueSchema),
    },
  },
  '/v1/certificates/{number}': {
    get: {
      operationId: 'verifyCertificate',
      summary: 'Verify a certificate with its code (no login)',
      security: [],
      requestParams: {
        path: z.object({ number: z.string() }),
        query: z.object({
          code: z.string().register(z.globalRegistry, { description: 'the 10-character verification code' }),
        }),
      },
      responses: {
        ...ok(200, 'the certificate', CertificateCheckSchema),
        ...problems(404),
      },
    },
  },
  '/v1/metrics/summary': {
    get: {
      operationId: 'getMetricsSummary',
      summary: 'Counts, on-time rate and what the reform saved',
      security: [],
      responses: ok(200, 'the summary', MetricsSummarySchema),
    },
  },
  '/v1/stations': {
    get: {
      operationId: 'listStations',
      summary: 'The stations the officer or supervisor acts for',
      security: staff,
      responses: { ...ok(200, 'stations in registry order', StationsSchema), ...problems(401) },
    },
  },
  '/v1/stations/{station}/queue': {
    get: {
      operationId: 'getStationQueue',
      summary: "A station's open investigations by deadline (masked)",
      security: staff,
      requestParams: {
        path: z.object({ station: z.string().register(z.globalRegistry, { examples: ['CC-YHL'] }) }),
        query: z.object({
          view: z.optional(z.enum(['open', 'done'])).register(z.globalRegistry, {
            description: 'open (default, by deadline) or done (finished, newest first)',
          }),
          status: z.optional(z.string()),
          proof: z.optional(z.string()),
          overdue: z.optional(z.enum(['true', 'false'])),
          assignee: z
            .optional(z.string())
            .register(z.globalRegistry, { description: 'me, none, or an officer username' }),
          limit: z
            .optional(z.string())
            .register(z.globalRegistry, { description: 'integer 1–200, default 50' }),
          cursor: z.optional(z.string()),
        }),
      },
      responses: { ...ok(200, 'one page of the queue', StationQueueSchema), ...problems(400, 401, 403) },
    },
  },
  '/v1/requests/search': {
    post: {
      operationId: 'searchRequests',
      summary: 'Find requests by number, reference, name or ID number (staff; ID numbers by keyed hash)',
      security: staff,
      requestBody: jsonBody(SearchBodySchema),
      responses: {
        ...ok(200, 'matching requests the caller may see', SearchResultSchema),
        ...problems(400, 401, 403),
      },
    },
  },
  '/v1/requests/{requestId}/assignee': {
    post: {
      operationId: 'assignRequest',
      summary: 'Claim an open request, or assign it to an officer (audited: ASSIGNED)',
      security: staff,
      requestParams: { path: requestId },
      requestBody: jsonBody(AssignBodySchema),
      responses: {
        ...ok(200, 'the request as a console row', ConsoleRowSchema),
        ...problems(400, 401, 403, 404, 409),
      },
    },
  },
  '/v1/requests/{requestId}/reveal': {
    post: {
      operationId: 'revealPeople',
      summary: "The investigating officer sees the people's full ID numbers and registry records (audited)",
      security: staff,
      requestParams: { path: requestId },
      requestBody: jsonBody(RevealBodySchema),
      responses: { ...ok(200, 'the people in full', RevealedSchema), ...problems(400, 401, 403, 404) },
    },
  },
  '/v1/supervision': {
    get: {
      operationId: 'getSupervision',
      summary: 'Per-station and per-officer figures, overdue and escalated requests (supervisors only)',
      security: staff,
      requestParams: { query: SupervisionQuerySchema },
      responses: { ...ok(200, 'the report', SupervisionSchema), ...problems(400, 401, 403, 404) },
    },
  },
  '/v1/citizen/codes': {
    post: {
      operationId: 'askCitizenCode',
      summary: 'A one-time code by SMS to the phone given at intake (data tracker, lost links)',
      description:
        'The same 202 whether or not a request was filed with this ID number and phone (no enumeration); 5 codes a phone and 30 asks an address per hour.',
      security: [],
      requestBody: jsonBody(CitizenCodeRequestSchema),
      responses: {
        ...ok(202, 'asked (a code went out if the pair is known)', CitizenCodeSentSchema),
        ...problems(400, 415, 429),
      },
    },
  },
  '/v1/citizen/sessions': {
    post: {
      operationId: 'signInCitizen',
      summary: 'The one-time code for a 15-minute citizen session',
      description:
        'A wrong, expired or used code and an unknown pair are one and the same 401; 5 wrong codes spend a code.',
      security: [],
      requestBody: jsonBody(CitizenSessionRequestSchema),
      responses: { ...ok(200, 'signed in', CitizenSessionSchema), ...problems(400, 401, 415, 429) },
    },
  },
  '/v1/citizen/exchange-records': {
    get: {
      operationId: 'getDataTracker',
      summary: 'Who asked about me: every exchange record about the signed-in person, newest first',
      security: citizen,
      requestParams: {
        query: z.object({
          limit: z
            .optional(z.string())
            .register(z.globalRegistry, { description: 'integer 1–100, default 50' }),
          cursor: z.optional(z.string()),
        }),
      },
      responses: { ...ok(200, 'one page of the data tracker', DataTrackerSchema), ...problems(400, 401) },
    },
  },
  '/v1/citizen/requests': {
    get: {
      operationId: 'recoverRequestLinks',
      summary: 'Lost links: the requests filed with this ID number and phone, with fresh status links',
      security: citizen,
      responses: { ...ok(200, 'the requests', CitizenRequestsSchema), ...problems(401) },
    },
  },
  '/v1/transparency/abolished-demands': {
    get: {
      operationId: 'getAbolishedDemands',
      summary:
        'Which bodies still demand abolished certificates (or what the booklet proves), per body and kind',
      security: [],
      requestParams: {
        query: z.object({
          month: z
            .optional(z.string())
            .register(z.globalRegistry, { description: 'Beijing month YYYY-MM; all time without' }),
        }),
      },
      responses: { ...ok(200, 'the counters (aggregate only)', AbolishedDemandsSchema), ...problems(400) },
    },
  },
  '/v1/transparency/abolished-demands/reports/{month}': {
    get: {
      operationId: 'getAbolishedDemandReport',
      summary: "A month's abolished-demand report as sent to the bodies (supervisors)",
      security: staff,
      requestParams: {
        path: z.object({ month: z.string().register(z.globalRegistry, { examples: ['2026-10'] }) }),
      },
      responses: { ...ok(200, 'the report', AbolishedDemandReportSchema), ...problems(400, 401, 404) },
    },
  },
  '/v1/openapi.json': {
    get: {
      operationId: 'getOpenApi',
      summary: 'This document',
      security: [],
      responses: {
        '200': {
          description: 'OpenAPI 3.1',
          content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } },
        },
      },
    },
  },
};

/** `a` and `b` merged path by path (both may define methods of one path, e.g. /v1/requests/{id}/…). */
function mergePaths(
  a: Record<string, Record<string, ZodOpenApiOperationObject>>,
  b: Record<string, Record<string, ZodOpenApiOperationObject>>,
) {
  const merged = { ...a };
  for (const [path, ops] of Object.entries(b)) merged[path] = { ...merged[path], ...ops };
  return merged;
}

/** The OpenAPI 3.1 document as a plain JSON object. */
export function openApiDocument() {
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'certflow HTTP API',
      version: '1',
      description:
        'Decides by published rules whether a police certificate is due, answers asking bodies by information exchange, issues due certificates and escalates at deadlines. Errors are application/problem+json (RFC 9457). The prose reference is docs/api.md.',
    },
    servers: [{ url: '/' }],
    security: [],
    tags: [],
    paths: mergePaths(paths, accountabilityPaths({ ok, problems, jsonBody })),
    components: {
      securitySchemes: {
        accessToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'the per-request access token returned by POST /v1/requests',
        },
        staffToken: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            "an officer's or supervisor's token: a Cognito JWT on AWS; locally the opaque demo token of demo-credentials.json",
        },
        citizenSession: {
          type: 'http',
          scheme: 'bearer',
          description: 'a citizen session (cts_…) from POST /v1/citizen/sessions, 15 minutes',
        },
        departmentSignature: {
          type: 'apiKey',
          in: 'header',
          name: 'webhook-signature',
          description:
            "Standard Webhooks: webhook-id, webhook-timestamp (Unix seconds, ±5 minutes) and webhook-signature = v1,base64(HMAC-SHA256(secret, '{id}.{timestamp}.{body}')); secrets are whsec_ + base64",
        },
      },
    },
    webhooks: {
      departmentDelivery: {
        post: {
          operationId: 'deliverToDepartment',
          summary: 'certflow → a department endpoint: a decision, an exchange answer, an investigation',
          description:
            'Signed with the department secret like the calls departments make (Standard Webhooks); a retry keeps the webhook-id. Any 2xx is success; otherwise the workflow retries with backoff and finally records a dead letter.',
          requestParams: { header: signatureHeaders },
          requestBody: jsonBody(DeliverySchema),
          responses: { '200': { description: 'received (any 2xx)' } },
        },
      },
      changesDelivery: {
        post: {
          operationId: 'deliverExchangeChanges',
          summary: 'certflow → a subscriber: its registry changes since the last acknowledged batch',
          description:
            'Signed like every delivery; the webhook-id is stable per batch. Any 2xx acknowledges; otherwise the next hourly runs retry, and after 3 failed attempts the batch is a dead letter.',
          requestParams: { header: signatureHeaders },
          requestBody: jsonBody(ChangesDeliverySchema),
          responses: { '200': { description: 'acknowledged (any 2xx)' } },
        },
      },
    },
  });
}

export type OpenApiDocument = ReturnType<typeof openApiDocument>;
