/**
 * The environment a bundle is imported in by the bundle benches (run.ts, ab.ts): what the handlers' config
 * needs at import (values are never used: nothing is invoked), as in Lambda, and nothing reachable.
 */
export const importEnv: Record<string, string> = {
  AWS_REGION: 'ap-northeast-2',
  CERTFLOW_TABLE_NAME: 'certflow-bench',
  CERTFLOW_STATE_MACHINE_ARN: 'arn:aws:states:ap-northeast-2:123456789012:stateMachine:certflow-bench',
  CERTFLOW_TOKEN_SECRET: 'bench-token-secret-bench-token-secret-0123456789',
  CERTFLOW_RATE_LIMIT: '0',
  POWERTOOLS_METRICS_DISABLED: 'true',
  // As in Lambda: Powertools Tracer (and the X-Ray SDK) is loaded only in a Lambda execution environment
  // (functions/edge/tracing.ts), so the cold import here includes it as on AWS.
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_MAX_ATTEMPTS: '1',
  // Nothing may reach AWS: a call fails at once on this closed port.
  AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9',
  AWS_ENDPOINT_URL_SFN: 'http://127.0.0.1:9',
};
