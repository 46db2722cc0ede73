/**
 * The local stack runs every function in one process. Each function's log lines must carry its own
 * Lambda context (`function_name`): found by the probe of 2026-12-01, "exchange batch done" was logged as
 * `ComplaintSweeper`, `Escalate` or `DeadlineSweeper` when those ran at the same moment, because every
 * function shared one Powertools Logger whose context the last invocation had set. Two invocations of the
 * same function at once must not share one either: the local stack runs functions as Lambda Managed
 * Instances' Node runtime does (concurrent invocations in one environment, AWS_LAMBDA_MAX_CONCURRENCY and
 * the runtime's InvokeStore), so Powertools keeps each invocation's context apart.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LocalStack } from '#local/stack.ts';
import { scenario, startTestStack, submit } from './helpers.ts';

let stack: LocalStack;

beforeAll(async () => {
  stack = await startTestStack({ logLevel: 'INFO', scheduler: true });
}, 60_000);

afterAll(async () => {
  await stack?.end();
});

describe('log lines of functions running at the same time', () => {
  it('each carry the function that wrote them', async () => {
    const lines: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      // Both at once, several times: their awaits interleave.
      for (let i = 0; i < 3; i += 1) await Promise.all([stack.sweep(), stack.exchangeBatch()]);
    } finally {
      spy.mockRestore();
    }
    const logged = lines
      .flatMap((l) => l.split('\n'))
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { message: string; function_name?: string });
    const of = (message: string) => logged.filter((l) => l.message === message).map((l) => l.function_name);
    expect(of('sweep done').length).toBeGreaterThanOrEqual(3);
    expect(of('exchange batch done').length).toBeGreaterThanOrEqual(3);
    expect(new Set(of('sweep done'))).toEqual(new Set(['DeadlineSweeper']));
    expect(new Set(of('exchange batch done'))).toEqual(new Set(['ExchangeBatch']));
  });

  it('of invocations of the same function at once each carry their own request id', async () => {
    const lines: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    const body = scenario('name-change').body;
    try {
      // Ten intakes at once: each invocation's awaits (the store, the workflow start) interleave.
      await Promise.all(Array.from({ length: 10 }, () => submit(stack, body)));
    } finally {
      spy.mockRestore();
    }
    const accepted = lines
      .flatMap((l) => l.split('\n'))
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { message: string; requestId?: string; function_request_id?: string })
      .filter((l) => l.message === 'request accepted');
    expect(accepted).toHaveLength(10);
    // One Lambda request id per certflow request: no line carries another invocation's context.
    expect(new Set(accepted.map((l) => l.function_request_id)).size).toBe(10);
  });
});
