/**
 * The Lambda entry points (`handler`, default deps from the environment) work against the local
 * stack's endpoints through AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL_SFN: nothing in a handler knows
 * where it runs (what infra deploys is what runs here). The token secret comes as on AWS: its name in
 * `CERTFLOW_TOKEN_SECRET_ARN`, the value read through the Parameters and Secrets extension's GET on the
 * stack's Secrets Manager-compatible service.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { lambdaContext } from '#local/functions.ts';
import { toPayloadV2 } from '#local/gateway/request-event.ts';
import { LOCAL_TOKEN_SECRET, type LocalStack } from '#local/stack.ts';
import { getRequest, scenario, startTestStack, waitFinal } from './helpers.ts';

let stack: LocalStack;

beforeAll(async () => {
  stack = await startTestStack();
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: stack.endpoints.dynamodb,
    AWS_ENDPOINT_URL_SFN: stack.endpoints.stepfunctions,
    AWS_REGION: 'cn-north-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    CERTFLOW_TABLE_NAME: stack.deps.config.tableName,
    CERTFLOW_STATE_MACHINE_ARN: stack.stateMachineArn,
    // As on AWS (issue 18): the secret's name only; the entries read it through the Parameters and Secrets
    // extension's GET, here the stack's Secrets Manager-compatible service, with the session token header.
    CERTFLOW_SECRETS_EXTENSION_URL: stack.endpoints.secretsmanager,
    AWS_SESSION_TOKEN: 'local-session',
    CERTFLOW_TOKEN_SECRET_ARN: LOCAL_TOKEN_SECRET,
    POWERTOOLS_LOG_LEVEL: 'ERROR',
  });
});
afterAll(async () => {
  await stack?.end();
});

it('the Intake and GetRequest Lambda entries, configured from the environment, run a request end to end', async () => {
  const { handler: intake } = await import('#functions/http/intake.ts');
  const { handler: getRequestHandler } = await import('#functions/http/get-request.ts');
  const body = Buffer.from(JSON.stringify(scenario('gender-change').body));
  const event = toPayloadV2(
    {
      method: 'POST',
      url: '/v1/requests',
      headers: { 'content-type': 'application/json' },
      body,
      sourceIp: '10.0.0.1',
      now: Date.now(),
    },
    { routeKey: 'POST /v1/requests' },
  );
  const accepted = (await intake(event, lambdaContext('Intake'))) as { statusCode: number; body: string };
  expect(accepted.statusCode).toBe(202);
  const { requestId, accessToken } = JSON.parse(accepted.body) as { requestId: string; accessToken: string };
  const view = await waitFinal(stack, requestId, accessToken);
  expect(view.status).toBe('ISSUED');
  const statusEvent = toPayloadV2(
    {
      method: 'GET',
      url: `/v1/requests/${requestId}`,
      headers: { authorization: `Bearer ${accessToken}` },
      body: Buffer.alloc(0),
      sourceIp: '10.0.0.1',
      now: Date.now(),
    },
    { routeKey: 'GET /v1/requests/{requestId}', pathParameters: { requestId } },
  );
  const status = (await getRequestHandler(statusEvent, lambdaContext('GetRequest'))) as {
    statusCode: number;
    body: string;
  };
  expect(status.statusCode).toBe(200);
  expect(JSON.parse(status.body)).toMatchObject({ requestId, status: 'ISSUED' });
  expect((await getRequest(stack, requestId, accessToken)).body.certificate.number).toMatch(/^JL-/);
});
