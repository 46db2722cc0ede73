/**
 * The function list: every Lambda function of certflow, once. The local stack runs each entry's
 * handler in-process; `infra/` makes one NodejsFunction per entry; the workflow definitions name the
 * workflow-step functions through their `placeholder` (`${CheckRulesFunctionArn}` …), which CDK fills
 * with real ARNs and the local stack with local function names.
 *
 * Each `entry` module exports `handler` (the Lambda entry point, built with the default dependencies)
 * and `createHandler(deps)` (the same handler over dependencies the caller chooses: clock, clients…).
 */
export type HttpRoute = `${'GET' | 'POST' | 'PUT' | 'DELETE'} /${string}`;

export type Trigger =
  | {
      readonly kind: 'http';
      readonly routes: readonly HttpRoute[];
      /** `citizen`: a citizen session (POST /v1/citizen/sessions), verified in the handler. */
      readonly auth: 'public' | 'token' | 'signed' | 'citizen';
    }
  | { readonly kind: 'workflow' }
  | { readonly kind: 'schedule'; readonly everyMinutes: number }
  /** Invoked by one-time schedules (EventBridge Scheduler `at()`; the local scheduler) with their payload. */
  | { readonly kind: 'oneTimeSchedule' }
  /**
   * The staff user pool's pre token generation trigger (Cognito, event V2_0): deployed and wired only with
   * `staffAuth=cognito` (infra/stateless-stack.ts); the local stack's own provider issues the claim itself.
   */
  | { readonly kind: 'preTokenGeneration' };

/** The secrets and settings a function may read (`Access.secrets`). */
export type SecretName = 'token' | 'departments' | 'officerSettings';

/** What a function may touch; `infra/` grants exactly this and nothing more. */
export interface Access {
  readonly table: 'none' | 'read' | 'readWrite';
  /** Step Functions actions on the certificate-request state machine. */
  readonly stateMachine: readonly (
    | 'StartExecution'
    | 'DescribeExecution'
    | 'SendTaskSuccess'
    | 'SendTaskFailure'
    | 'ListExecutions'
  )[];
  /** Step Functions actions on the complaint state machine (workflows/complaint.ts). */
  readonly complaintMachine?: readonly ('StartExecution' | 'SendTaskSuccess' | 'DescribeExecution')[];
  /**
   * The secrets and settings the function reads, each granted on its own resource only (issue 18): `token`
   * the token secret (Secrets Manager, fetched at init and cached: functions/edge/token-secret.ts; its ARN,
   * never its value, in the environment), `departments` the department secrets (functions/edge/departments.ts),
   * `officerSettings` the officer settings parameter (SSM, functions/edge/staff.ts): always for the Cognito
   * trigger StaffTokenClaims; for a staff route only in a deployment whose tokens carry no `stations` claim
   * (`staffAuth=oidc`; infra/bundling.ts `readsOfficerSettings` decides the grant and the bundle's SSM
   * client together). The infra tests derive each list from the synthesized bundles: a function reads
   * exactly what it lists.
   */
  readonly secrets: readonly SecretName[];
  /** Sends SMS to applicants (`sns:Publish` to phone numbers when the provider is SNS). */
  readonly sms?: boolean;
  /** Creates one-time schedules (EventBridge Scheduler) that invoke the DeadlineTimer function. */
  readonly schedules?: boolean;
  /**
   * Traces with Powertools Tracer: X-Ray subsegments for its SDK calls and outbound HTTP, cold-start and
   * service annotations. Lambda's active tracing (every function) records the invocation's own segment
   * either way; without this flag the bundle leaves Tracer and the X-Ray SDK out (≈ 120 KB and an async
   * hook at import: infra/bundling.ts `optionalPackages`). Set where a call leaves AWS: the signed
   * deliveries to departments (shared/webhooks/delivery.ts), whose latency is the department's.
   */
  readonly traces?: boolean;
  /**
   * Answers a repeated `Idempotency-Key` with the first result (Powertools idempotency on the table,
   * shared/store/idempotency.ts): only these bundles carry Powertools idempotency and its JMESPath.
   */
  readonly idempotencyKeys?: boolean;
  /** Deletes items (DeleteItem): the webhook de-dup release, Powertools idempotency. No one else. */
  readonly deletes?: boolean;
  /**
   * Writes up to 25 items a call (BatchWriteItem): the registry change feed's fan-out, and intake's filing
   * of a new request (its search lookups in one call, shared/store/table-access.ts `putAll`).
   */
  readonly batchWrites?: boolean;
  /** Reads the population registry (`deps.registry()`): only these bundles carry the registry file. */
  readonly registry?: boolean;
  /**
   * Computes working-day deadlines (`deps.calendar()`: the investigation deadline, warnings, escalations,
   * complaint deadlines): only these bundles carry the working-day calendar (shared/domain/calendar.ts with
   * the tables derived from chinese-days, shared/domain/calendar-data.ts) and the holiday supplement
   * (`CERTFLOW_HOLIDAYS_FILE`). The others' `deps.calendar()` rejects naming the function, in the bundle
   * and on the local stack (infra/bundling.ts `optionalPackages`). Derived from the bundles in infra.test.ts.
   */
  readonly workingDayCalendar?: boolean;
  /**
   * The partition-key prefixes (IAM `StringLike` patterns, shared/store/keys.ts) the function's table calls
   * may touch: a `dynamodb:LeadingKeys` condition (`ForAllValues:StringLike`) on its table grant, and the
   * same check on the local stack (local/key-guard.ts), so every e2e test that drives it checks the list.
   * Absent: no condition (functions that touch too many kinds of item for a list to say anything).
   */
  readonly keys?: readonly string[];
}

export interface FunctionSpec {
  /** Local FunctionName and CDK construct id. */
  readonly name: string;
  /** Path of the handler module from the repository root. */
  readonly entry: string;
  readonly description: string;
  readonly trigger: Trigger;
  readonly access: Access;
  /** Placeholder name used in workflow definitions (workflow steps only). */
  readonly placeholder?: string;
  /** The state machine whose definition uses `placeholder` (default: certificate-request). */
  readonly machine?: 'certificate-request' | 'complaint';
  readonly timeoutSeconds?: number;
  readonly memoryMb?: number;
  /**
   * Lambda reserved concurrency (CDK context `reservedConcurrency`, on by default): a floor for intake,
   * so nothing else can starve it, and a ceiling for the metrics route and department deliveries, so a slow
   * department or a busy dashboard cannot take the account's concurrency from intake and the workflow.
   */
  readonly reservedConcurrency?: number;
}

const none: Access = { table: 'none', stateMachine: [], secrets: [] };

export const functions = [
  // --- HTTP API (API Gateway HTTP API, payload format 2.0) ---
  {
    name: 'Intake',
    entry: 'functions/http/intake.ts',
    description: 'POST /v1/requests: validate, store, start the workflow',
    trigger: { kind: 'http', routes: ['POST /v1/requests'], auth: 'public' },
    access: {
      // IDEM#: Powertools' idempotency records and each key's link to its request (linkIdempotencyKey).
      keys: ['REQ#*', 'IDEM#*', 'RATE#*', 'ACCEPT#*', 'FIND#*', 'CITIZEN#*', 'COUNT#*'],
      table: 'readWrite',
      batchWrites: true,
      idempotencyKeys: true,
      stateMachine: ['StartExecution'],
      secrets: ['token'],
      deletes: true,
      registry: true,
    },
    reservedConcurrency: 100,
  },
  {
    name: 'GetRequest',
    entry: 'functions/http/get-request.ts',
    description: 'GET /v1/requests/{requestId}: status, decision, certificate, history',
    trigger: { kind: 'http', routes: ['GET /v1/requests/{requestId}'], auth: 'token' },
    access: {
      table: 'read',
      stateMachine: [],
      secrets: ['token', 'officerSettings'],
      registry: true,
      keys: ['REQ#*', 'PRINCIPAL#*'],
    },
  },
  {
    name: 'GetCatalogue',
    entry: 'functions/http/get-catalogue.ts',
    description: 'GET /v1/catalogue: every proof kind of the policy',
    trigger: { kind: 'http', routes: ['GET /v1/catalogue'], auth: 'public' },
    access: none,
  },
  {
    name: 'OfficerFindings',
    entry: 'functions/http/officer-findings.ts',
    description: 'POST /v1/requests/{requestId}/findings: an officer confirms or refutes',
    trigger: { kind: 'http', routes: ['POST /v1/requests/{requestId}/findings'], auth: 'token' },
    access: { table: 'readWrite', stateMachine: ['SendTaskSuccess'], secrets: ['officerSettings'] },
  },
  {
    name: 'DepartmentFindings',
    entry: 'functions/http/department-findings.ts',
    description: 'POST /v1/webhooks/{department}/findings: a signed department finding',
    trigger: { kind: 'http', routes: ['POST /v1/webhooks/{department}/findings'], auth: 'signed' },
    access: {
      table: 'readWrite',
      stateMachine: ['SendTaskSuccess'],
      secrets: ['departments'],
      deletes: true,
    },
  },
  {
    name: 'ExchangeQuery',
    entry: 'functions/http/exchange-query.ts',
    description: 'POST /v1/exchange/queries: ad-hoc verification by a connected department',
    trigger: { kind: 'http', routes: ['POST /v1/exchange/queries'], auth: 'signed' },
    access: {
      table: 'readWrite',
      stateMachine: [],
      secrets: ['token', 'departments'],
      deletes: true,
      registry: true,
    },
  },
  {
    name: 'ExchangeRecords',
    entry: 'functions/http/exchange-records.ts',
    description: "GET /v1/exchange/records: a department's exchange records, newest first",
    trigger: { kind: 'http', routes: ['GET /v1/exchange/records'], auth: 'signed' },
    access: { table: 'read', stateMachine: [], secrets: ['departments', 'officerSettings'] },
  },
  {
    name: 'ExchangeSubscriptions',
    entry: 'functions/http/exchange-subscriptions.ts',
    description: 'POST and GET /v1/exchange/subscriptions: periodic exchange by subscription (定期交换)',
    trigger: {
      kind: 'http',
      routes: ['POST /v1/exchange/subscriptions', 'GET /v1/exchange/subscriptions'],
      auth: 'signed',
    },
    access: { table: 'readWrite', stateMachine: [], secrets: ['departments'], registry: true },
  },
  {
    name: 'RegistryChanges',
    entry: 'functions/http/registry-changes.ts',
    description: "POST /v1/registry/changes: the population registry's change feed (idempotent by changeId)",
    trigger: { kind: 'http', routes: ['POST /v1/registry/changes'], auth: 'token' },
    access: {
      batchWrites: true,
      table: 'readWrite',
      stateMachine: [],
      secrets: ['officerSettings'],
      registry: true,
    },
  },
  {
    name: 'ExchangeFeedback',
    entry: 'functions/http/exchange-feedback.ts',
    description: 'POST /v1/exchange/records/{exchangeId}/feedback: result feedback (accepted / disputed)',
    trigger: { kind: 'http', routes: ['POST /v1/exchange/records/{exchangeId}/feedback'], auth: 'signed' },
    access: { table: 'readWrite', stateMachine: [], secrets: ['departments'] },
  },
  {
    name: 'VerifyCertificate',
    entry: 'functions/http/verify-certificate.ts',
    description: 'GET /v1/certificates/{number}: public verification with the code',
    trigger: { kind: 'http', routes: ['GET /v1/certificates/{number}'], auth: 'public' },
    access: { table: 'read', stateMachine: [], secrets: [], keys: ['CERT#*'] },
  },
  {
    name: 'MetricsSummary',
    entry: 'functions/http/metrics-summary.ts',
    description: 'GET /v1/metrics/summary: counts, on-time rate, what the reform saved',
    trigger: { kind: 'http', routes: ['GET /v1/metrics/summary'], auth: 'public' },
    access: {
      table: 'read',
      stateMachine: [],
      secrets: [],
      registry: true,
      keys: ['COUNT#*', 'STATUS#*', 'STATION#*', 'PRINCIPAL#*'],
    },
    reservedConcurrency: 5,
  },
  {
    name: 'StationQueue',
    entry: 'functions/http/station-queue.ts',
    description: "GET /v1/stations/{station}/queue: a station's open requests by deadline (officer console)",
    trigger: { kind: 'http', routes: ['GET /v1/stations/{station}/queue'], auth: 'token' },
    access: { table: 'read', stateMachine: [], secrets: ['officerSettings'], registry: true },
  },
  {
    name: 'SearchRequests',
    entry: 'functions/http/search-requests.ts',
    description:
      'POST /v1/requests/search: find requests by number, reference, name or ID number (keyed hash)',
    trigger: { kind: 'http', routes: ['POST /v1/requests/search'], auth: 'token' },
    access: { table: 'read', stateMachine: [], secrets: ['token', 'officerSettings'], registry: true },
  },
  {
    name: 'AssignRequest',
    entry: 'functions/http/assign-request.ts',
    description:
      'POST /v1/requests/{requestId}/assignee: claim a request or assign it to an officer (audited)',
    trigger: { kind: 'http', routes: ['POST /v1/requests/{requestId}/assignee'], auth: 'token' },
    access: { table: 'readWrite', stateMachine: [], secrets: ['officerSettings'], registry: true },
  },
  {
    name: 'RevealPeople',
    entry: 'functions/http/reveal-people.ts',
    description:
      'POST /v1/requests/{requestId}/reveal: the investigating officer sees full ID numbers (audited)',
    trigger: { kind: 'http', routes: ['POST /v1/requests/{requestId}/reveal'], auth: 'token' },
    access: { table: 'readWrite', stateMachine: [], secrets: ['officerSettings'], registry: true },
  },
  {
    name: 'Supervision',
    entry: 'functions/http/supervision.ts',
    description:
      'GET /v1/supervision: per-station and per-officer figures, overdue and escalated lists (supervisors)',
    trigger: { kind: 'http', routes: ['GET /v1/supervision'], auth: 'token' },
    access: { table: 'read', stateMachine: [], secrets: ['officerSettings'], registry: true },
  },
  {
    name: 'ListStations',
    entry: 'functions/http/list-stations.ts',
    description:
      'GET /v1/stations: the registry stations the officer or supervisor acts for (console picker)',
    trigger: { kind: 'http', routes: ['GET /v1/stations'], auth: 'token' },
    access: { table: 'read', stateMachine: [], secrets: ['officerSettings'], registry: true },
  },
  {
    name: 'OpenApi',
    entry: 'functions/http/openapi.ts',
    description: 'GET /v1/openapi.json: the OpenAPI 3.1 document of this API',
    trigger: { kind: 'http', routes: ['GET /v1/openapi.json'], auth: 'public' },
    access: none,
  },
  // --- Accountability (issue 13): complaints, ratings, the public figures ---
  {
    name: 'FileComplaint',
    entry: 'functions/http/file-complaint.ts',
    description: 'POST /v1/complaints: validate, rate-limit, store, start the complaint workflow',
    trigger: { kind: 'http', routes: ['POST /v1/complaints'], auth: 'public' },
    access: {
      keys: ['CMP#*', 'REQ#*', 'RATE#*', 'COUNT#*'],
      table: 'readWrite',
      stateMachine: [],
      complaintMachine: ['StartExecution'],
      secrets: ['token'],
      registry: true,
    },
  },
  {
    name: 'GetComplaint',
    entry: 'functions/http/get-complaint.ts',
    description:
      "GET /v1/complaints/{complaintId}: status, assignment, finding (complainant's token or supervisor)",
    trigger: { kind: 'http', routes: ['GET /v1/complaints/{complaintId}'], auth: 'token' },
    access: { table: 'read', stateMachine: [], secrets: ['officerSettings'] },
  },
  {
    name: 'ComplaintFindings',
    entry: 'functions/http/complaint-findings.ts',
    description: 'POST /v1/complaints/{complaintId}/findings: a supervisor upholds or not',
    trigger: { kind: 'http', routes: ['POST /v1/complaints/{complaintId}/findings'], auth: 'token' },
    access: {
      table: 'readWrite',
      stateMachine: [],
      complaintMachine: ['SendTaskSuccess'],
      secrets: ['officerSettings'],
      registry: true,
    },
  },
  {
    name: 'SupervisorLists',
    entry: 'functions/http/supervisor-lists.ts',
    description: "Supervisor lists: complaints, poor-rating reviews, an officer's accountability records",
    trigger: {
      kind: 'http',
      routes: ['GET /v1/complaints', 'GET /v1/reviews', 'GET /v1/accountability'],
      auth: 'token',
    },
    access: { table: 'read', stateMachine: [], secrets: ['officerSettings'] },
  },
  {
    name: 'CloseReview',
    entry: 'functions/http/close-review.ts',
    description: 'POST /v1/reviews/{requestId}/close: a supervisor closes a poor-rating review (差评回访)',
    trigger: { kind: 'http', routes: ['POST /v1/reviews/{requestId}/close'], auth: 'token' },
    access: { table: 'readWrite', stateMachine: [], secrets: ['officerSettings'] },
  },
  {
    name: 'CitizenSignIn',
    entry: 'functions/http/citizen-sign-in.ts',
    description:
      'POST /v1/citizen/codes and /v1/citizen/sessions: one-time code by SMS, then a citizen session',
    trigger: {
      kind: 'http',
      routes: ['POST /v1/citizen/codes', 'POST /v1/citizen/sessions'],
      auth: 'public',
    },
    access: {
      table: 'readWrite',
      stateMachine: [],
      secrets: ['token'],
      sms: true,
      keys: ['CITIZEN#*', 'OTP#*', 'RATE#*'],
    },
  },
  {
    name: 'CitizenData',
    entry: 'functions/http/citizen-data.ts',
    description:
      'GET /v1/citizen/exchange-records (who asked about me) and /v1/citizen/requests (lost links)',
    trigger: {
      kind: 'http',
      routes: ['GET /v1/citizen/exchange-records', 'GET /v1/citizen/requests'],
      auth: 'citizen',
    },
    access: { table: 'read', stateMachine: [], secrets: ['token'], keys: ['CITIZEN#*', 'REQ#*'] },
  },
  {
    name: 'AbolishedDemands',
    entry: 'functions/http/abolished-demands.ts',
    description: 'GET /v1/transparency/abolished-demands: who still demands abolished certificates (public)',
    trigger: { kind: 'http', routes: ['GET /v1/transparency/abolished-demands'], auth: 'public' },
    access: { table: 'read', stateMachine: [], secrets: [], keys: ['DEMAND#*'] },
  },
  {
    name: 'AbolishedDemandReports',
    entry: 'functions/http/abolished-demand-reports.ts',
    description: "GET /v1/transparency/abolished-demands/reports/{month}: a month's report (supervisors)",
    trigger: {
      kind: 'http',
      routes: ['GET /v1/transparency/abolished-demands/reports/{month}'],
      auth: 'token',
    },
    access: { table: 'read', stateMachine: [], secrets: ['officerSettings'] },
  },
  {
    name: 'RateRequest',
    entry: 'functions/http/rate-request.ts',
    description: 'POST /v1/requests/{requestId}/rating: the applicant rates a closed request once',
    trigger: { kind: 'http', routes: ['POST /v1/requests/{requestId}/rating'], auth: 'token' },
    access: { table: 'readWrite', stateMachine: [], secrets: [], keys: ['REQ#*', 'RATING#*', 'COUNT#*'] },
  },
  {
    name: 'TransparencyAccountability',
    entry: 'functions/http/transparency-accountability.ts',
    description: 'GET /v1/transparency/accountability: public per-station figures, aggregate only',
    trigger: { kind: 'http', routes: ['GET /v1/transparency/accountability'], auth: 'public' },
    access: {
      table: 'read',
      stateMachine: [],
      secrets: [],
      registry: true,
      keys: ['COUNT#*'],
    },
  },
  // --- The staff user pool (staffAuth=cognito only) ---
  {
    name: 'StaffTokenClaims',
    entry: 'functions/user-pool/staff-token-claims.ts',
    description: "Cognito pre token generation (V2_0): the officer's stations into the access token",
    trigger: { kind: 'preTokenGeneration' },
    access: { table: 'none', stateMachine: [], secrets: ['officerSettings'] },
    // Cognito waits 5 seconds for a trigger.
    timeoutSeconds: 5,
  },
  // --- Scheduled ---
  {
    name: 'AbolishedDemandReport',
    entry: 'functions/schedule/abolished-demand-report.ts',
    description:
      "Daily: last month's abolished-demand report, signed, to the connected bodies and supervisors",
    trigger: { kind: 'schedule', everyMinutes: 1440 },
    access: { table: 'readWrite', stateMachine: [], secrets: ['departments'] },
  },
  {
    name: 'DeadlineSweeper',
    entry: 'functions/schedule/deadline-sweeper.ts',
    description: 'Reconciliation: repairs overdue and troubled requests only (status/deadline index)',
    trigger: { kind: 'schedule', everyMinutes: 5 },
    access: {
      table: 'readWrite',
      stateMachine: ['StartExecution', 'DescribeExecution'],
      secrets: [],
    },
  },
  {
    name: 'DeadlineTimer',
    entry: 'functions/schedule/deadline-timer.ts',
    description: "A deadline's one-time schedule fired: warns the station one working day before, once",
    trigger: { kind: 'oneTimeSchedule' },
    access: {
      table: 'readWrite',
      stateMachine: [],
      secrets: [],
      sms: true,
      keys: ['REQ#*'],
      workingDayCalendar: true,
    },
  },
  {
    name: 'ExchangeBatch',
    entry: 'functions/schedule/exchange-batch.ts',
    description: 'Periodic exchange: each subscriber its registry changes since its last acknowledged batch',
    trigger: { kind: 'schedule', everyMinutes: 60 },
    access: { table: 'readWrite', stateMachine: [], secrets: ['token', 'departments'], registry: true },
    timeoutSeconds: 300,
    memoryMb: 512,
  },
  {
    name: 'ComplaintSweeper',
    entry: 'functions/schedule/complaint-sweeper.ts',
    description: 'Restarts the workflow of any open complaint whose execution is not running',
    trigger: { kind: 'schedule', everyMinutes: 5 },
    access: {
      table: 'readWrite',
      stateMachine: [],
      complaintMachine: ['StartExecution', 'DescribeExecution'],
      secrets: [],
      registry: true,
    },
  },
  // --- Workflow steps (called by the certificate-request state machine) ---
  {
    name: 'CheckRules',
    entry: 'functions/workflow/check-rules.ts',
    description: 'Applies the policy to the request and records the decision',
    trigger: { kind: 'workflow' },
    access: {
      table: 'readWrite',
      stateMachine: [],
      secrets: ['token'],
      sms: true,
      registry: true,
      workingDayCalendar: true,
    },
    placeholder: 'CheckRulesFunctionArn',
  },
  {
    name: 'IssueCertificate',
    entry: 'functions/workflow/issue-certificate.ts',
    description: 'Issues the certificate on the spot (number, hashed verification code)',
    trigger: { kind: 'workflow' },
    access: { table: 'readWrite', stateMachine: [], secrets: ['token'], sms: true, registry: true },
    placeholder: 'IssueCertificateFunctionArn',
  },
  {
    name: 'DeliverToDepartments',
    entry: 'functions/workflow/deliver-to-departments.ts',
    description: 'Signed (Standard Webhooks) delivery of a decision, exchange record or investigation',
    trigger: { kind: 'workflow' },
    access: { table: 'readWrite', stateMachine: [], secrets: ['departments'], traces: true },
    placeholder: 'DeliverToDepartmentsFunctionArn',
    timeoutSeconds: 30,
    reservedConcurrency: 50,
  },
  {
    name: 'RecordDeadLetter',
    entry: 'functions/workflow/record-dead-letter.ts',
    description: 'Records a dead letter when a department endpoint kept failing',
    trigger: { kind: 'workflow' },
    access: { table: 'readWrite', stateMachine: [], secrets: [] },
    placeholder: 'RecordDeadLetterFunctionArn',
  },
  {
    name: 'DispatchInvestigation',
    entry: 'functions/workflow/dispatch-investigation.ts',
    description: "Stores the investigation's task token (the station's queue); schedules the warning",
    trigger: { kind: 'workflow' },
    access: {
      table: 'readWrite',
      stateMachine: [],
      secrets: [],
      schedules: true,
      keys: ['REQ#*'],
      workingDayCalendar: true,
    },
    placeholder: 'DispatchInvestigationFunctionArn',
  },
  {
    name: 'Escalate',
    entry: 'functions/workflow/escalate.ts',
    description: 'Past the deadline: next escalation level, supervisor alarm, next deadline',
    trigger: { kind: 'workflow' },
    access: { table: 'readWrite', stateMachine: [], secrets: [], workingDayCalendar: true },
    placeholder: 'EscalateFunctionArn',
  },
  {
    name: 'Decide',
    entry: 'functions/workflow/decide.ts',
    description: 'Issues or refuses on the finding that ended the investigation',
    trigger: { kind: 'workflow' },
    access: { table: 'readWrite', stateMachine: [], secrets: ['token'], sms: true, registry: true },
    placeholder: 'DecideFunctionArn',
  },
  {
    name: 'RecoverWorkflow',
    entry: 'functions/workflow/recover-workflow.ts',
    description: 'A step failed: ERROR log, WorkflowStepFailed metric, resume from the stored state',
    trigger: { kind: 'workflow' },
    access: { table: 'readWrite', stateMachine: [], secrets: [], keys: ['REQ#*'] },
    placeholder: 'RecoverWorkflowFunctionArn',
  },
  // --- Workflow steps of the complaint state machine (workflows/complaint.ts) ---
  {
    name: 'AssignComplaint',
    entry: 'functions/workflow/assign-complaint.ts',
    description: 'A complaint to the supervisor level above the station, with its deadline',
    trigger: { kind: 'workflow' },
    access: { table: 'readWrite', stateMachine: [], secrets: [], registry: true, workingDayCalendar: true },
    placeholder: 'AssignComplaintFunctionArn',
    machine: 'complaint',
  },
  {
    name: 'DispatchComplaint',
    entry: 'functions/workflow/dispatch-complaint.ts',
    description: "Keeps the complaint wait's task token on the complaint",
    trigger: { kind: 'workflow' },
    access: { table: 'readWrite', stateMachine: [], secrets: [], registry: true },
    placeholder: 'DispatchComplaintFunctionArn',
    machine: 'complaint',
  },
  {
    name: 'EscalateComplaint',
    entry: 'functions/workflow/escalate-complaint.ts',
    description: 'Past the deadline: the next supervisor level and deadline',
    trigger: { kind: 'workflow' },
    access: { table: 'readWrite', stateMachine: [], secrets: [], registry: true, workingDayCalendar: true },
    placeholder: 'EscalateComplaintFunctionArn',
    machine: 'complaint',
  },
  {
    name: 'ConcludeComplaint',
    entry: 'functions/workflow/conclude-complaint.ts',
    description: 'UPHELD / NOT_UPHELD; an upheld complaint is an accountability record',
    trigger: { kind: 'workflow' },
    access: { table: 'readWrite', stateMachine: [], secrets: [], registry: true },
    placeholder: 'ConcludeComplaintFunctionArn',
    machine: 'complaint',
  },
] as const satisfies readonly FunctionSpec[];

export type FunctionName = (typeof functions)[number]['name'];
