/**
 * Estimated monthly AWS cost of certflow for a given number of certificate requests a month.
 *
 * Transitions, Lambda invocations, DynamoDB writes and reads per path are those `npm run bench:workflow`
 * measured (each path is also walked through the definition, so a changed definition fails loudly here);
 * the outcome mix, index writes, extra status polls and the Lambda/log/storage volumes are stated
 * assumptions.
 */
import { certificateRequestDefinition } from '#workflows/certificate-request.ts';
import { prices } from './prices.ts';

type StateDef = {
  Type: string;
  Next?: string;
  Default?: string;
  End?: boolean;
  Choices?: { Next: string }[];
  Catch?: { Next: string }[];
};
const states = certificateRequestDefinition.States as unknown as Record<string, StateDef>;

export class UnknownPathError extends Error {
  override name = 'UnknownPathError';
}

/** Transitions of a path of states (each state entered is one billed transition), checked against the definition. */
export function transitionsOf(path: readonly string[]): number {
  path.forEach((name, i) => {
    const state = states[name];
    if (!state) throw new UnknownPathError(`state ${name} is not in the definition`);
    const next = path[i + 1];
    if (next === undefined) return;
    const targets = [
      state.Next,
      state.Default,
      ...(state.Choices ?? []).map((c) => c.Next),
      ...(state.Catch ?? []).map((c) => c.Next),
    ];
    if (!targets.includes(next)) throw new UnknownPathError(`${name} cannot go to ${next}`);
  });
  return path.length;
}

/**
 * Per path, as `npm run bench:workflow` measured them on the local stack (commit f557d97, 2026-11-28):
 * one request each, HTTP = intake + one status read (+ the finding for investigations); `lambdas` include
 * the HTTP handlers; `writeUnits` are base-table write units (1 KB each), `writes` the item writes.
 * `states` is the path through the definition: its length must equal the measured transitions.
 * `share` is the assumed outcome mix after the reform (most requests declined or answered by exchange).
 */
export const measuredPaths = [
  {
    path: 'declined',
    share: 0.55,
    states: ['CheckRules', 'Route', 'NotifyDecision'],
    transitions: 3,
    lambdas: 4,
    writes: 3,
    writeUnits: 4,
    reads: 4,
  },
  {
    path: 'answered by exchange',
    share: 0.15,
    states: ['CheckRules', 'Route', 'NotifyDecision'],
    transitions: 3,
    lambdas: 4,
    writes: 6,
    writeUnits: 9,
    reads: 8,
  },
  {
    path: 'issued on the spot',
    share: 0.2,
    states: ['CheckRules', 'Route', 'IssueCertificate'],
    transitions: 3,
    lambdas: 5,
    writes: 6,
    writeUnits: 8,
    reads: 5,
  },
  {
    path: 'investigated, confirmed',
    share: 0.09,
    states: ['CheckRules', 'Route', 'NotifyInvestigation', 'AwaitFinding', 'Decide'],
    transitions: 5,
    lambdas: 8,
    writes: 10,
    writeUnits: 18,
    reads: 13,
  },
  {
    path: 'investigated, escalated once',
    share: 0.01,
    states: [
      'CheckRules',
      'Route',
      'NotifyInvestigation',
      'AwaitFinding',
      'Escalate',
      'AfterEscalate',
      'AwaitFinding',
      'Decide',
    ],
    // 7 measured at f557d97; + the AfterEscalate choice (issue 11: a pending finding goes to Decide).
    transitions: 8,
    lambdas: 10,
    writes: 14,
    writeUnits: 26,
    reads: 18,
  },
] as const;

/** Assumptions on top of the measured paths. */
export const assumptions = {
  /** Index write units per item write (a request's status/deadline index entry moves with it). */
  indexWriteUnitsPerWrite: 1,
  /** Status-page polls beyond the one measured: each one API request, one Lambda, 2 read units. */
  extraStatusPolls: 2,
};

export class CountMismatchError extends Error {
  override name = 'CountMismatchError';
}

export interface Counts {
  transitionsPerRequest: number;
  writeUnitsPerRequest: number;
  readUnitsPerRequest: number;
  lambdaInvocationsPerRequest: number;
  apiRequestsPerRequest: number;
  source: string;
}

/** Weighted counts per request; each path's transitions are checked against the definition. */
export function counts(): Counts {
  const c = { transitions: 0, writeUnits: 0, reads: 0, lambdas: 0, api: 0 };
  for (const p of measuredPaths) {
    const walked = transitionsOf(p.states);
    if (walked !== p.transitions) {
      throw new CountMismatchError(
        `${p.path}: the definition gives ${walked} transitions, measured ${p.transitions}`,
      );
    }
    const steps = p.states.filter((name) => states[name]?.Type === 'Task').length;
    c.transitions += p.share * p.transitions;
    c.writeUnits += p.share * (p.writeUnits + p.writes * assumptions.indexWriteUnitsPerWrite);
    c.reads += p.share * (p.reads + 2 * assumptions.extraStatusPolls);
    c.lambdas += p.share * (p.lambdas + assumptions.extraStatusPolls);
    c.api += p.share * (p.lambdas - steps + assumptions.extraStatusPolls);
  }
  return {
    transitionsPerRequest: c.transitions,
    writeUnitsPerRequest: c.writeUnits,
    readUnitsPerRequest: c.reads,
    lambdaInvocationsPerRequest: c.lambdas,
    apiRequestsPerRequest: c.api,
    source: 'bench:workflow per-path measurements, weighted by the assumed outcome mix',
  };
}

/** Volumes per request besides the counts (assumptions). */
export const perRequest = {
  /** Billed duration per invocation (ms) at 512 MB: a few DynamoDB round trips. */
  lambdaMs: 60,
  lambdaGb: 0.5,
  /** Log bytes: Lambda platform + Powertools lines, API access log line, Step Functions events (no data). */
  logBytesPerInvocation: 1200,
  logBytesPerApiRequest: 350,
  logBytesPerTransition: 1200,
  /** Stored per request (request, events, certificate, exchange record), for storage after a year. */
  storedBytes: 8_000,
};

/** Fixed monthly parts (assumptions). */
export const fixed = {
  kmsKeys: 2,
  secrets: 2,
  officersMau: 200,
  sweeperInvocationsPerMonth: (30 * 24 * 60) / 5,
  sweeperMs: 300,
  // Names the handlers emit (functions/README.md), escalation levels counted separately.
  customMetrics: 21,
  kmsRequestsPerMonth: 20_000,
};

export interface CostLine {
  item: string;
  usd: number;
}

export function estimate(requestsPerMonth: number, alarms: number, c: Counts = counts()): CostLine[] {
  const n = requestsPerMonth;
  const invocations = n * c.lambdaInvocationsPerRequest + fixed.sweeperInvocationsPerMonth;
  const gbSeconds =
    ((n * c.lambdaInvocationsPerRequest * perRequest.lambdaMs +
      fixed.sweeperInvocationsPerMonth * fixed.sweeperMs) /
      1000) *
    perRequest.lambdaGb;
  const transitions = n * c.transitionsPerRequest;
  const logGb =
    (n *
      (c.lambdaInvocationsPerRequest * perRequest.logBytesPerInvocation +
        c.apiRequestsPerRequest * perRequest.logBytesPerApiRequest +
        c.transitionsPerRequest * perRequest.logBytesPerTransition) +
      fixed.sweeperInvocationsPerMonth * perRequest.logBytesPerInvocation) /
    1e9;
  const storedGbAfterYear = (12 * n * perRequest.storedBytes) / 1e9;
  const p = prices;
  return [
    {
      item: `Step Functions (${c.transitionsPerRequest.toFixed(2)} transitions/request)`,
      usd: Math.max(0, transitions - p.stepFunctions.freeTransitionsPerMonth) * p.stepFunctions.perTransition,
    },
    { item: 'Lambda requests', usd: Math.max(0, invocations - p.lambda.freeRequests) * p.lambda.perRequest },
    {
      item: 'Lambda duration (arm64, 512 MB)',
      usd: Math.max(0, gbSeconds - p.lambda.freeGbSeconds) * p.lambda.perGbSecondArm,
    },
    {
      item: `DynamoDB writes (${c.writeUnitsPerRequest.toFixed(1)} WRU/request)`,
      usd: n * c.writeUnitsPerRequest * p.dynamodb.perWriteUnit,
    },
    {
      item: `DynamoDB reads (${c.readUnitsPerRequest.toFixed(1)} RRU/request) + sweeper`,
      usd: (n * c.readUnitsPerRequest + fixed.sweeperInvocationsPerMonth * 4) * p.dynamodb.perReadUnit,
    },
    {
      item: 'DynamoDB storage + PITR (after a year)',
      usd: storedGbAfterYear * (p.dynamodb.perGbMonth + p.dynamodb.pitrPerGbMonth),
    },
    { item: 'API Gateway HTTP API', usd: n * c.apiRequestsPerRequest * p.httpApi.perRequest },
    {
      item: `CloudWatch Logs (${logGb.toFixed(2)} GB, ID numbers masked)`,
      usd: logGb * (p.cloudWatch.logsPerGb + p.cloudWatch.dataProtectionPerGb),
    },
    {
      item: `CloudWatch alarms (${alarms}) + EMF metrics (${fixed.customMetrics})`,
      usd: alarms * p.cloudWatch.perAlarm + fixed.customMetrics * p.cloudWatch.perCustomMetric,
    },
    {
      item: 'X-Ray traces',
      usd: Math.max(0, n * (c.apiRequestsPerRequest + 1) - p.xray.freeTraces) * p.xray.perTrace,
    },
    {
      item: 'KMS keys + requests',
      // DynamoDB caches the table key (no KMS call per item); secrets are read once per cold start.
      usd:
        fixed.kmsKeys * p.kms.perKeyMonth +
        (fixed.kmsRequestsPerMonth + invocations * 0.01) * p.kms.perRequest,
    },
    {
      item: 'Secrets Manager',
      usd: fixed.secrets * p.secretsManager.perSecretMonth + invocations * 0.01 * p.secretsManager.perCall,
    },
    {
      item: 'EventBridge Scheduler',
      usd:
        Math.max(0, fixed.sweeperInvocationsPerMonth - p.scheduler.freeInvocations) *
        p.scheduler.perInvocation,
    },
    { item: `Cognito Plus (${fixed.officersMau} staff MAU)`, usd: fixed.officersMau * p.cognito.perMauPlus },
    { item: 'CloudFront + S3 (within the free tier)', usd: 0 },
  ];
}
