/**
 * Estimated monthly AWS cost of certflow for a given number of certificate requests a month.
 *
 * State transitions per request are derived from the certificate-request definition (each outcome's path
 * is walked through the definition, so a changed definition changes the figure or fails loudly); the mix of
 * outcomes, the DynamoDB write/read units and the Lambda/API/log volumes are stated assumptions, which
 * `bench/workflow/counts.json` (measured by the workflow benchmarks: { "transitionsPerRequest",
 * "writeUnitsPerRequest", "readUnitsPerRequest" }) overrides when present.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '#infra/bundling.ts';
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

/** Outcome mix (assumption, after the reform: most requests declined or answered by exchange, DOMAIN.md). */
export const outcomeMix = [
  {
    outcome: 'declined',
    share: 0.55,
    path: ['CheckRules', 'Route', 'NotifyDecision'],
    writeUnits: 16,
    lambdaSteps: 2,
  },
  {
    outcome: 'answered by exchange',
    share: 0.15,
    path: ['CheckRules', 'Route', 'NotifyDecision'],
    writeUnits: 18,
    lambdaSteps: 2,
  },
  {
    outcome: 'issued on the spot',
    share: 0.2,
    path: ['CheckRules', 'Route', 'IssueCertificate'],
    writeUnits: 18,
    lambdaSteps: 2,
  },
  {
    outcome: 'investigated (10 % of them escalated once)',
    share: 0.1,
    path: ['CheckRules', 'Route', 'NotifyInvestigation', 'AwaitFinding', 'Decide'],
    escalation: ['AwaitFinding', 'Escalate', 'AwaitFinding'],
    escalatedShare: 0.1,
    writeUnits: 32,
    lambdaSteps: 5,
  },
] as const;

export interface Counts {
  transitionsPerRequest: number;
  writeUnitsPerRequest: number;
  readUnitsPerRequest: number;
  source: string;
}

export function derivedCounts(): Counts {
  let transitions = 0;
  let writes = 0;
  for (const o of outcomeMix) {
    let t = transitionsOf(o.path);
    if ('escalation' in o) t += o.escalatedShare * (transitionsOf(o.escalation) - 1);
    transitions += o.share * t;
    writes += o.share * o.writeUnits;
  }
  return {
    transitionsPerRequest: transitions,
    writeUnitsPerRequest: writes,
    // Status page polls (3 strongly consistent Queries of request + history) and the steps' reads.
    readUnitsPerRequest: 10,
    source: 'derived from the definition + stated assumptions',
  };
}

export function counts(): Counts {
  const file = join(repoRoot, 'bench/workflow/counts.json');
  const derived = derivedCounts();
  if (!existsSync(file)) return derived;
  const measured = JSON.parse(readFileSync(file, 'utf8')) as Partial<Counts>;
  return { ...derived, ...measured, source: 'bench/workflow/counts.json (measured)' };
}

/** Volumes per request besides transitions and writes (assumptions). */
export const perRequest = {
  /** POST /v1/requests, 3 status polls, 0.1 findings, 0.2 certificate verifications. */
  apiRequests: 4.3,
  /** Workflow steps by the mix, plus every API request. */
  lambdaInvocations: () => outcomeMix.reduce((a, o) => a + o.share * o.lambdaSteps, 0) + 4.3,
  /** Billed duration per invocation (ms) at 512 MB: a few DynamoDB round trips. */
  lambdaMs: 60,
  lambdaGb: 0.5,
  /** Log bytes: Lambda platform + Powertools lines, API access log line, Step Functions events (no data). */
  logBytesPerInvocation: 1200,
  logBytesPerApiRequest: 350,
  logBytesPerTransition: 1200,
  /** X-Ray traces: one per API request and one per execution. */
  traces: 5.3,
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
  const invocations = n * perRequest.lambdaInvocations() + fixed.sweeperInvocationsPerMonth;
  const gbSeconds =
    ((n * perRequest.lambdaInvocations() * perRequest.lambdaMs +
      fixed.sweeperInvocationsPerMonth * fixed.sweeperMs) /
      1000) *
    perRequest.lambdaGb;
  const transitions = n * c.transitionsPerRequest;
  const logGb =
    (n *
      (perRequest.lambdaInvocations() * perRequest.logBytesPerInvocation +
        perRequest.apiRequests * perRequest.logBytesPerApiRequest +
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
      item: `DynamoDB reads (${c.readUnitsPerRequest} RRU/request) + sweeper`,
      usd: (n * c.readUnitsPerRequest + fixed.sweeperInvocationsPerMonth * 4) * p.dynamodb.perReadUnit,
    },
    {
      item: 'DynamoDB storage + PITR (after a year)',
      usd: storedGbAfterYear * (p.dynamodb.perGbMonth + p.dynamodb.pitrPerGbMonth),
    },
    { item: 'API Gateway HTTP API', usd: n * perRequest.apiRequests * p.httpApi.perRequest },
    {
      item: `CloudWatch Logs (${logGb.toFixed(2)} GB, ID numbers masked)`,
      usd: logGb * (p.cloudWatch.logsPerGb + p.cloudWatch.dataProtectionPerGb),
    },
    {
      item: `CloudWatch alarms (${alarms}) + EMF metrics (${fixed.customMetrics})`,
      usd: alarms * p.cloudWatch.perAlarm + fixed.customMetrics * p.cloudWatch.perCustomMetric,
    },
    { item: 'X-Ray traces', usd: Math.max(0, n * perRequest.traces - p.xray.freeTraces) * p.xray.perTrace },
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
