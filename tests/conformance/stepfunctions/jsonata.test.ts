/**
 * Conformance: the JSONata functions Step Functions adds, and the expression fast path.
 * https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html
 */
import fc from 'fast-check';
import jsonataLib from 'jsonata';
import { describe, expect, test } from 'vitest';
import { compileValue, type EvalContext, evaluate, type Json } from '#local/stepfunctions/expressions.ts';
import { jsonata, run } from './harness.ts';

async function value(expression: string, input: unknown = {}) {
  const r = await run(jsonata({ P: { Type: 'Pass', Output: { v: expression }, End: true } }), input);
  if (r.status !== 'SUCCEEDED') return { error: r.error, cause: r.cause };
  return (r.output as { v: unknown }).v;
}

describe('Step Functions JSONata functions', () => {
  test('$partition splits an array into chunks', async () => {
    expect(await value('{% $partition([1,2,3,4,5], 2) %}')).toEqual([[1, 2], [3, 4], [5]]);
  });

  test('$range includes the end and takes a step', async () => {
    expect(await value('{% $range(0, 10, 2) %}')).toEqual([0, 2, 4, 6, 8, 10]);
    expect(await value('{% $range(5, 1, -2) %}')).toEqual([5, 3, 1]);
  });

  test('$hash with the documented algorithms', async () => {
    expect(await value("{% $hash('abc', 'SHA-256') %}")).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(await value("{% $hash('abc', 'MD5') %}")).toBe('900150983cd24fb0d6963f7d28e17f72');
    expect(await value("{% $hash('abc', 'CRC32') %}")).toMatchObject({
      error: 'States.QueryEvaluationError',
    });
  });

  test('$random(seed) is repeatable; $random() is in [0, 1)', async () => {
    const a = await value('{% $random(42) %}');
    const b = await value('{% $random(42) %}');
    expect(a).toBe(b);
    expect(a).not.toBe(await value('{% $random(43) %}'));
    const r = (await value('{% $random() %}')) as number;
    expect(r).toBeGreaterThanOrEqual(0);
    expect(r).toBeLessThan(1);
  });

  test('$uuid gives a version 4 UUID', async () => {
    expect(await value('{% $uuid() %}')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  test('$parse turns a JSON string into a value', async () => {
    expect(await value('{% $parse($states.input.s) %}', { s: '{"a":[1,true,null]}' })).toEqual({
      a: [1, true, null],
    });
  });

  test('$eval is not available (use $parse)', async () => {
    expect(await value("{% $eval('1 + 1') %}")).toMatchObject({ error: 'States.QueryEvaluationError' });
  });

  test('standard JSONata functions work (string, numeric, higher-order)', async () => {
    expect(await value("{% $join($map([1,2,3], function($v){ $string($v * 2) }), '-') %}")).toBe('2-4-6');
    expect(await value('{% $sum($states.input.n) %}', { n: [1, 2, 3.5] })).toBe(6.5);
  });
});

describe('fast path for plain variable paths', () => {
  // The fast path must give exactly what jsonata gives.
  const json: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      fc.constantFrom(null, true, false, 0, 1.5, 'x', ''),
      fc.array(tie('value'), { maxLength: 3 }),
      fc.dictionary(fc.constantFrom('a', 'b', 'c'), tie('value'), { maxKeys: 3 }),
    ),
  })).value;

  test('equals jsonata for $states.input.a.b and $v.a', async () => {
    await fc.assert(
      fc.asyncProperty(
        json,
        json,
        fc.constantFrom('$states.input.a', '$states.input.a.b', '$v', '$v.a.c'),
        async (input, v, src) => {
          const ctx: EvalContext = {
            states: { input },
            statesField: (name) => (name === 'input' ? input : undefined),
            lookup: (name) => (name === 'v' ? (v as Json) : undefined),
            visible: () => ({ v: v as Json }),
            now: () => 0,
          };
          const compiled = compileValue(`{% ${src} %}`);
          expect(compiled.k === 'expr' && compiled.path !== undefined).toBe(true);
          let fast: unknown;
          try {
            fast = await evaluate(compiled, ctx, 'F');
          } catch {
            fast = 'ERROR:undefined';
          }
          const reference = await jsonataLib(src).evaluate(undefined, { states: { input }, v });
          const expected =
            reference === undefined ? 'ERROR:undefined' : JSON.parse(JSON.stringify(reference));
          expect(JSON.parse(JSON.stringify(fast))).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('evaluate: synchronous unless jsonata is needed', () => {
  const ctx: EvalContext = {
    states: { input: { x: 5 } },
    statesField: (name) => (name === 'input' ? { x: 5 } : undefined),
    contextField: (name) => (name === 'Map' ? { Item: { Index: 2, Value: 'v' } } : undefined),
    lookup: (name) => (name === 'id' ? 'req-1' : undefined),
    visible: () => ({ id: 'req-1' }),
    now: () => 0,
  };

  test('constants and plain paths give the value itself (no promise)', () => {
    const c = compileValue({ a: '{% $states.input.x %}', b: 1, id: '{% $id %}' });
    expect(evaluate(c, ctx, 'Output')).toEqual({ a: 5, b: 1, id: 'req-1' });
    expect(evaluate(compileValue('{% $states.context.Map.Item.Value %}'), ctx, 'ItemSelector')).toBe('v');
  });

  test('an expression for jsonata gives a promise of its value', async () => {
    const result = evaluate(compileValue({ y: '{% $states.input.x + 1 %}' }), ctx, 'Output');
    expect(result).toBeInstanceOf(Promise);
    expect(await result).toEqual({ y: 6 });
  });

  test('a plain path that yields nothing throws at once, located at its field', () => {
    expect(() => evaluate(compileValue({ a: '{% $states.input.missing %}' }), ctx, 'Output')).toThrow(
      expect.objectContaining({ error: 'States.QueryEvaluationError', location: 'Output/a' }),
    );
  });
});
