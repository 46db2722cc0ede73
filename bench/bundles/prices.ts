/**
 * Public AWS list prices the cost estimate assumes (USD, US East (N. Virginia), on-demand, as published
 * on the pricing pages below in 2025). Other regions cost somewhat more (Seoul ≈ +10–25 %); free tiers are
 * applied where they never expire.
 */
export const prices = {
  stepFunctions: {
    perTransition: 0.025 / 1000,
    freeTransitionsPerMonth: 4000,
    source: 'https://aws.amazon.com/step-functions/pricing/ (Standard: $0.025 per 1,000 state transitions)',
  },
  lambda: {
    perGbSecondArm: 0.0000133334,
    perRequest: 0.2 / 1_000_000,
    freeGbSeconds: 400_000,
    freeRequests: 1_000_000,
    source: 'https://aws.amazon.com/lambda/pricing/ (Arm: $0.0000133334 per GB-s, $0.20 per 1M requests)',
  },
  dynamodb: {
    perWriteUnit: 0.625 / 1_000_000,
    perReadUnit: 0.125 / 1_000_000,
    perGbMonth: 0.25,
    pitrPerGbMonth: 0.2,
    source:
      'https://aws.amazon.com/dynamodb/pricing/on-demand/ ($0.625 per million write, $0.125 per million read request units; $0.25/GB-month; PITR $0.20/GB-month)',
  },
  httpApi: {
    perRequest: 1.0 / 1_000_000,
    source: 'https://aws.amazon.com/api-gateway/pricing/ (HTTP APIs: $1.00 per million requests)',
  },
  cloudWatch: {
    logsPerGb: 0.5,
    dataProtectionPerGb: 0.12,
    perAlarm: 0.1,
    perDashboard: 3,
    freeDashboards: 3,
    perCustomMetric: 0.3,
    source:
      'https://aws.amazon.com/cloudwatch/pricing/ (logs $0.50/GB ingested, data protection $0.12/GB scanned, $0.10 per alarm metric, $3 per dashboard beyond 3, $0.30 per custom metric)',
  },
  xray: {
    perTrace: 5 / 1_000_000,
    freeTraces: 100_000,
    source: 'https://aws.amazon.com/xray/pricing/ ($5.00 per million traces recorded, 100,000 free)',
  },
  kms: {
    perKeyMonth: 1,
    perRequest: 0.03 / 10_000,
    source: 'https://aws.amazon.com/kms/pricing/ ($1 per key-month, $0.03 per 10,000 requests)',
  },
  secretsManager: {
    perSecretMonth: 0.4,
    perCall: 0.05 / 10_000,
    source:
      'https://aws.amazon.com/secrets-manager/pricing/ ($0.40 per secret-month, $0.05 per 10,000 calls)',
  },
  scheduler: {
    perInvocation: 1 / 1_000_000,
    freeInvocations: 14_000_000,
    source:
      'https://aws.amazon.com/eventbridge/pricing/ (Scheduler: 14 million invocations free, then $1.00/M)',
  },
  cognito: {
    perMauPlus: 0.02,
    source: 'https://aws.amazon.com/cognito/pricing/ (Plus tier: $0.02 per monthly active user)',
  },
  cloudFront: {
    freeRequests: 10_000_000,
    source:
      'https://aws.amazon.com/cloudfront/pricing/ (always-free tier: 1 TB out, 10 million requests a month)',
  },
} as const;
