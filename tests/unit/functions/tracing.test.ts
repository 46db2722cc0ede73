/**
 * functions/edge/tracing.ts: Powertools Tracer is loaded only where it would trace (its own rule), and
 * the stand-in elsewhere behaves as a switched-off Tracer under the middy middleware.
 */
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DisabledTracer, newTracer, tracingWanted } from '#functions/edge/tracing.ts';

describe('tracingWanted', () => {
  it('follows Tracer: on in a Lambda execution environment unless switched off', () => {
    expect(tracingWanted({})).toBe(false);
    expect(tracingWanted({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x' })).toBe(true);
    expect(
      tracingWanted({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x', POWERTOOLS_TRACE_ENABLED: 'false' }),
    ).toBe(false);
    expect(
      tracingWanted({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x', POWERTOOLS_TRACE_ENABLED: 'true' }),
    ).toBe(true);
    expect(tracingWanted({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x', AWS_SAM_LOCAL: 'true' })).toBe(false);
    expect(tracingWanted({ AWS_EXECUTION_ENV: 'AWS_Lambda_amplify-mock' })).toBe(false);
  });
});

describe('outside Lambda', () => {
  it('gives the stand-in, without loading the X-Ray SDK, and the middleware leaves results alone', async () => {
    const tracer = newTracer('certflow');
    expect(tracer).toBeInstanceOf(DisabledTracer);
    expect(
      (process as unknown as { namespaces?: Record<string, unknown> }).namespaces?.AWSXRay,
    ).toBeUndefined();
    const client = { send: () => 1 };
    expect(tracer.captureAWSv3Client(client)).toBe(client);
    const handler = middy(async (event: { n: number }) => ({ n: event.n + 1 })).use(
      captureLambdaHandler(tracer, { captureResponse: false }),
    );
    expect(await handler({ n: 1 }, {} as never)).toEqual({ n: 2 });
    const failing = middy(async () => {
      throw new Error('boom');
    }).use(captureLambdaHandler(tracer));
    await expect(failing({}, {} as never)).rejects.toThrow('boom');
  });
});

describe('in Lambda', () => {
  afterEach(() => {
    delete process.env.AWS_EXECUTION_ENV;
    vi.resetModules();
  });
  it('loads Powertools Tracer', async () => {
    process.env.AWS_EXECUTION_ENV = 'AWS_Lambda_nodejs22.x';
    vi.resetModules();
    const fresh = await import('#functions/edge/tracing.ts');
    const { Tracer } = await import('@aws-lambda-powertools/tracer');
    const tracer = fresh.newTracer('certflow');
    expect(tracer).toBeInstanceOf(Tracer);
    expect(tracer).not.toBeInstanceOf(fresh.DisabledTracer);
  });
});
