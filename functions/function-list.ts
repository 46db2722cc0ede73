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
  | { readonly kind: 'schedule'; readonly everyMinutes: number };

/** What a function may touch; `infra/` grants exactly this and nothing more. */
export interface Access {
  readonly table: 'none' | 'read' | 'readWrite';
  /** Step Functions actions on the certificate-request state machine. */
  readonly stateMachine: readonly (
    | 'StartExecution'
    | 'DescribeExecution'
    | 'SendTaskSuccess'
    | 'SendTaskFailure'
    | 'SendTaskHeartbeat'
    | 'ListExecutions'
  )[];
  /** Reads department secrets / officer settings. */
  readonly secrets: boolean;
  /** Sends SMS to applicants (`sns:Publish` to phone numbers when the provider is SNS). */
  readonly sms?: boolean;
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
  readonly timeoutSeconds?: number;
  readonly memoryMb?: number;
}

const none: Access = { table: 'none', stateMachine: [], secrets: false };

export const functions = [
  // --- HTTP API (API Gateway HTTP API, payload format 2.0) ---
  {
    name: 'Intake',
    entry: 'functions/http/intake.ts',
    description: 'POST /v1/requests: validate, store, start the workflow',
    trigger: { kind: 'http', routes: ['POST /v1/requests'], auth: 'public' },
    access: { table: 'readWrite', stateMachine: ['StartExecution'], secrets: true, sms: true },
  },
  {
    name: 'GetRequest',
    entry: 'functions/http/get-request.ts',
    description: 'GET /v1/requests/{requestId}: status, decision, certificate, history',
    trigger: { kind: 'http', routes: ['GET /v1/requests/{requestId}'], auth: 'token' },
    access: { table: 'read', stateMachine: [], secrets: true },
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
    access: { table: 'readWrite', stateMachine: ['SendTaskSuccess'], secrets: true },
  },
  {
    name: 'DepartmentFindings',
    entry: 'functions/http/department-findings.ts',
    description: 'POST /v1/webhooks/{department}/findings: a signed department finding',
    trigger: { kind: 'http', routes: ['POST /v1/webhooks/{department}/findings'], auth: 'signed' },
    access: { table: 'readWrite', stateMachine: ['SendTaskSuccess'], secrets: true },
  },
  {
    name: 'ExchangeQuery',
    entry: 'functions/http/exchange-query.ts',
    description: 'POST /v1/exchange/queries: ad-hoc verification by a connected department',
    trigger: { kind: 'http', routes: ['POST /v1/exchange/queries'], auth: 'signed' },
    access: { table: 'readWrite', stateMachine: [], secrets: true },
  },
  {
    name: 'ExchangeRecords',
    entry: 'functions/http/exchange-records.ts',
    description: "GET /v1/exchange/records: a department's exchange records, newest first",
    trigger: { kind: 'http', routes: ['GET /v1/exchange/records'], auth: 'signed' },
    access: { table: 'read', stateMachine: [], secrets: true },
  },
  {
    name: 'VerifyCertificate',
    entry: 'functions/http/verify-certificate.ts',
    description: 'GET /v1/certificates/{number}: public verification with the code',
    trigger: { kind: 'http', routes: ['GET /v1/certificates/{number}'], auth: 'public' },
    access: { table: 'read', stateMachine: [], secrets: false },
  },
  {
    name: 'MetricsSummary',
    entry: 'functions/http/metrics-summary.ts',
    description: 'GET /v1/metrics/summary: counts, on-time rate, what the reform saved',
    trigger: { kind: 'http', routes: ['GET /v1/metrics/summary'], auth: 'public' },
    access: { table: 'read', stateMachine: [], secrets: false },
  },
  {
    name: 'StationQueue',
    entry: 'functions/http/station-queue.ts',
    description: "GET /v1/stations/{station}/queue: a station's open requests by deadline (officer console)",
    trigger: { kind: 'http', routes: ['GET /v1/stations/{station}/queue'], auth: 'token' },
    access: { table: 'read', stateMachine: [], secrets: true },
  },
  {
    name: 'ListStations',
    entry: 'functions/http/list-stations.ts',
    description:
      'GET /v1/stations: the registry stations the officer or supervisor acts for (console picker)',
    trigger: { kind: 'http', routes: ['GET /v1/stations'], auth: 'token' },
    access: { table: 'read', stateMachine: [], secrets: true },
  },
  {
    name: 'OpenApi',
    entry: 'functions/http/openapi.ts',
    description: 'GET /v1/openapi.json: the OpenAPI 3.1 document of this API',
    trigger: { kind: 'http', routes: ['GET /v1/openapi.json'], auth: 'public' },
    access: none,
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
    access: { table: 'readWrite', stateMachine: [], secrets: false, sms: true },
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
    access: { table: 'read', stateMachine: [], secrets: false },
  },
  {
    name: 'AbolishedDemands',
    entry: 'functions/http/abolished-demands.ts',
    description: 'GET /v1/transparency/abolished-demands: who still demands abolished certificates (public)',
    trigger: { kind: 'http', routes: ['GET /v1/transparency/abolished-demands'], auth: 'public' },
    access: { table: 'read', stateMachine: [], secrets: false },
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
    access: { table: 'read', stateMachine: [], secrets: true },
  },
  // --- Scheduled ---
  {
    name: 'AbolishedDemandReport',
    entry: 'functions/schedule/abolished-demand-report.ts',
    description:
      "Daily: last month's abolished-demand report, signed, to the connected bodies and supervisors",
    trigger: { kind: 'schedule', everyMinutes: 1440 },
    access: { table: 'readWrite', stateMachine: [], secrets: true },
  },
  {
    name: 'DeadlineSweeper',
    entry: 'functions/schedule/deadline-sweeper.ts',
    description: 'Warns, escalates and repairs: due and overdue requests through the status/deadline index',
    trigger: { kind: 'schedule', everyMinutes: 5 },
    access: {
      table: 'readWrite',
      stateMachine: ['StartExecution', 'DescribeExecution', 'SendTaskHeartbeat'],
      secrets: false,
      sms: true,
    },
  },
  // --- Workflow steps (called by the certificate-request state machine) ---
  {
    name: 'CheckRules',
    entry: 'functions/workflow/check-rules.ts',
    description: 'Applies the policy to the request and records the decision',
    trigger: { kind: 'workflow' },
    access: { table: 'readWrite', stateMachine: [], secrets: false, sms: true },
    placeholder: 'CheckRulesFunctionArn',
  },
  {
    name: 'IssueCertificate',
    entry: 'functions/workflow/issue-certificate.ts',
    description: 'Issues the certificate on the spot (number, hashed verification code)',
    trigger: { kind: 'workflow' },
    access: { table: 'readWrite', stateMachine: [], secrets: true, sms: true },
    placeholder: 'IssueCertificateFunctionArn',
  },
  {
    name: 'DeliverToDepartments',
    entry: 'functions/workflow/deliver-to-departments.ts',
    description: 'Signed (Standard Webhooks) delivery of a decision, exchange record or investigation',
    trigger: { kind: 'workflow' },
    access: { table: 'readWrite', stateMachine: [], secrets: true },
    placeholder: 'DeliverToDepartmentsFunctionArn',
    timeoutSeconds: 30,
  },
  {
    name: 'RecordDeadLetter',
    entry: 'functions/workflow/record-dead-letter.ts',
    description: 'Records a dead letter when a department endpoint kept failing',
    trigger: { kind: 'workflow' },
    access: { table: 'readWrite', stateMachine: [], secrets: false },
    placeholder: 'RecordDeadLetterFunctionArn',
  },
  {
    name: 'DispatchInvestigation',
    entry: 'functions/workflow/dispatch-investigation.ts',
    description: "Stores the investigation's task token on the request (the station's queue)",
    trigger: { kind: 'workflow' },
    access: { table: 'readWrite', stateMachine: [], secrets: false },
    placeholder: 'DispatchInvestigationFunctionArn',
  },
  {
    name: 'Escalate',
    entry: 'functions/workflow/escalate.ts',
    description: 'Past the deadline: next escalation level, supervisor alarm, next deadline',
    trigger: { kind: 'workflow' },
    access: { table: 'readWrite', stateMachine: [], secrets: false },
    placeholder: 'EscalateFunctionArn',
  },
  {
    name: 'Decide',
    entry: 'functions/workflow/decide.ts',
    description: 'Issues or refuses on the finding that ended the investigation',
    trigger: { kind: 'workflow' },
    access: { table: 'readWrite', stateMachine: [], secrets: true, sms: true },
    placeholder: 'DecideFunctionArn',
  },
  {
    name: 'RecoverWorkflow',
    entry: 'functions/workflow/recover-workflow.ts',
    description: 'A step failed: ERROR log, WorkflowStepFailed metric, resume from the stored state',
    trigger: { kind: 'workflow' },
    access: { table: 'readWrite', stateMachine: [], secrets: false },
    placeholder: 'RecoverWorkflowFunctionArn',
  },
] as const satisfies readonly FunctionSpec[];

export type FunctionName = (typeof functions)[number]['name'];
