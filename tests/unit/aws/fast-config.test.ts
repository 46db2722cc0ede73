import { setFlagsFromString } from 'node:v8';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import { localDynamoClient } from '#local/dynamodb.ts';
import { localSfnClient } from '#local/workflow-service.ts';
import { withFastConfig } from '#shared/aws/fast-config.ts';

// V8's own answer (a natives-syntax intrinsic, enabled for functions compiled after the flag is set).
setFlagsFromString('--allow-natives-syntax');
const hasFastProperties = new Function('o', 'return %HasFastProperties(o)') as (o: object) => boolean;

describe('withFastConfig (shared/aws/fast-config.ts)', () => {
  it.each([
    ['DynamoDB', () => new DynamoDBClient({ region: 'cn-north-1' })],
    ['Step Functions', () => new SFNClient({ region: 'cn-north-1' })],
    ['SNS', () => new SNSClient({ region: 'cn-north-1' })],
    ['EventBridge Scheduler', () => new SchedulerClient({ region: 'cn-north-1' })],
  ])('leaves the %s client with a fast config, the same keys and settings', async (_name, make) => {
    const reference = make();
    const client = withFastConfig(make());
    expect(hasFastProperties(client.config)).toBe(true);
    expect(Object.keys(client.config)).toEqual(Object.keys(reference.config));
    expect(await client.config.region()).toBe('cn-north-1');
    expect(await client.config.maxAttempts()).toBe(await reference.config.maxAttempts());
    expect(typeof client.config.credentials).toBe('function');
  });

  it('the local stack builds its in-process clients with a fast config', () => {
    const call = async () => ({ statusCode: 200, headers: {}, body: new Uint8Array() });
    expect(hasFastProperties(localDynamoClient('http://127.0.0.1:1', { call }).config)).toBe(true);
    expect(hasFastProperties(localSfnClient('http://127.0.0.1:1').config)).toBe(true);
  });

  it('a client with a fast config still sends and parses (in-process responder)', async () => {
    const body = new TextEncoder().encode(JSON.stringify({ Item: { pk: { S: 'A' }, n: { N: '2' } } }));
    const call = async () => ({
      statusCode: 200,
      headers: { 'content-type': 'application/x-amz-json-1.0' },
      body,
    });
    const out = await localDynamoClient('http://127.0.0.1:1', { call }).send(
      new GetItemCommand({ TableName: 't', Key: { pk: { S: 'A' } } }),
    );
    expect(out.Item).toEqual({ pk: { S: 'A' }, n: { N: '2' } });
  });
});
