/** The state machine as data: placeholders, substitution, and the shape of each path. */
import aslValidator from 'asl-validator';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { functions } from '#functions/function-list.ts';
import { AdjustableClock } from '#shared/clock.ts';
import { generateSecret, sign, verify, WebhookVerificationError } from '#shared/webhooks/signature.ts';
import { PARTITION_PLACEHOLDER } from '#workflows/asl.ts';
import {
  certificateRequestDefinition as definition,
  functionPlaceholdersOf,
  MissingSubstitutionError,
  placeholdersOf,
  substitute,
} from '#workflows/certificate-request.ts';

describe('certificate-request definition', () => {
  it('every placeholder is a workflow function of the registry, and each workflow function is used', () => {
    const fromRegistry = functions
      .flatMap((f) => ('placeholder' in f && !('machine' in f) ? [f.placeholder] : []))
      .sort();
    expect(functionPlaceholdersOf(definition)).toEqual(fromRegistry);
    expect(placeholdersOf(definition)).toEqual([...fromRegistry, PARTITION_PLACEHOLDER].sort());
  });

  it(`has no literal partition: every service ARN is arn:\${Partition}:…, so aws-cn deploys too`, () => {
    const text = JSON.stringify(definition);
    expect(text).not.toContain('arn:aws:');
    expect(text).toContain(`"arn:\${Partition}:states:::lambda:invoke"`);
    const cn = JSON.parse(
      substitute(definition, {
        ...Object.fromEntries(functionPlaceholdersOf(definition).map((p) => [p, `fn-${p}`])),
        [PARTITION_PLACEHOLDER]: 'aws-cn',
      }),
    );
    expect(cn.States.AwaitFinding.Resource).toBe('arn:aws-cn:states:::lambda:invoke.waitForTaskToken');
  });

  it('substitutes function ARNs (as CDK definitionSubstitutions would) and refuses a missing one', () => {
    const values = Object.fromEntries(
      placeholdersOf(definition).map((p) => [
        p,
        p === PARTITION_PLACEHOLDER ? 'aws' : `arn:aws:lambda:cn-north-1:1:function:${p}`,
      ]),
    );
    const text = substitute(definition, values);
    expect(text).not.toContain('${');
    expect(JSON.parse(text).States.CheckRules.Arguments.FunctionName).toBe(
      'arn:aws:lambda:cn-north-1:1:function:CheckRulesFunctionArn',
    );
    expect(() => substitute(definition, {})).toThrow(MissingSubstitutionError);
  });

  it('is valid Amazon States Language (asl-validator) once substituted', () => {
    const values = Object.fromEntries(
      placeholdersOf(definition).map((p) => [
        p,
        p === PARTITION_PLACEHOLDER ? 'aws' : `arn:aws:lambda:cn-north-1:123456789012:function:${p}`,
      ]),
    );
    const result = aslValidator(JSON.parse(substitute(definition, values)));
    expect(result.errors).toEqual([]);
    expect(result.isValid).toBe(true);
  });

  it('is JSONata, waits for a finding with the deadline as its timeout (no heartbeat), and escalates on it', () => {
    expect(definition.QueryLanguage).toBe('JSONata');
    const wait = definition.States.AwaitFinding;
    expect(wait.Resource).toBe(`arn:\${Partition}:states:::lambda:invoke.waitForTaskToken`);
    expect(wait.TimeoutSeconds).toMatch(/^\{%.*deadline.*%\}$/);
    // No central heartbeat (issue 18): the task's own timeout enforces the deadline.
    expect('HeartbeatSeconds' in wait).toBe(false);
    expect(wait.Catch[0]).toMatchObject({
      ErrorEquals: ['States.Timeout'],
      Next: 'Escalate',
    });
    expect(definition.States.Escalate.Next).toBe('AfterEscalate');
    expect(definition.States.AfterEscalate.Default).toBe('AwaitFinding');
    expect(definition.States.AfterEscalate.Choices[0].Next).toBe('Decide');
    for (const [name, state] of Object.entries(definition.States)) {
      if ('Resource' in state) {
        expect(state.Retry?.length, `${name} retries`).toBeGreaterThan(0);
        // Retries with full jitter and a cap, on Lambda's transient errors including Unknown (issue 18).
        for (const retry of state.Retry as readonly Record<string, unknown>[]) {
          expect(retry, name).toMatchObject({ JitterStrategy: 'FULL', MaxDelaySeconds: expect.any(Number) });
          expect(retry.ErrorEquals, name).toEqual(
            expect.arrayContaining(['Lambda.Unknown', 'Lambda.ClientExecutionTimeoutException']),
          );
        }
      }
      // No step fails the execution silently: every Lambda step ends in a Catch-all (Recover, or a dead
      // letter for the deliveries), except Recover itself.
      if ('Resource' in state && name !== 'Recover') {
        const catchAll = (state as { Catch?: { ErrorEquals: string[] }[] }).Catch?.some((c) =>
          c.ErrorEquals.includes('States.ALL'),
        );
        expect(catchAll, `${name} catches States.ALL`).toBe(true);
      }
    }
  });
});

describe('Standard Webhooks signatures', () => {
  const clock = new AdjustableClock();

  it('interoperate with the standardwebhooks package both ways', () => {
    const secret = generateSecret();
    const body = '{"requestId":"R1","outcome":"CONFIRMED"}';
    const now = new Date(clock.now());
    const theirs = new Webhook(secret).sign('msg_1', now, body);
    expect(
      verify(
        [secret],
        {
          'webhook-id': 'msg_1',
          'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
          'webhook-signature': theirs,
        },
        body,
        clock,
      ),
    ).toMatchObject({ id: 'msg_1' });
    const ours = sign(secret, 'msg_2', Math.floor(Date.now() / 1000), body);
    expect(() =>
      new Webhook(secret).verify(body, {
        'webhook-id': 'msg_2',
        'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
        'webhook-signature': ours,
      }),
    ).not.toThrow();
  });

  it('accepts any of several signatures during rotation; rejects stale times by the given clock', () => {
    const [oldS, newS] = [generateSecret(), generateSecret()];
    const ts = Math.floor(clock.now() / 1000);
    const headers = {
      'webhook-id': 'm',
      'webhook-timestamp': String(ts),
      'webhook-signature': `${sign(oldS, 'm', ts, 'b')} ${sign(newS, 'm', ts, 'b')}`,
    };
    expect(verify([newS], headers, 'b', clock).id).toBe('m');
    clock.advance(301_000);
    expect(() => verify([newS], headers, 'b', clock)).toThrow(WebhookVerificationError);
  });
});
