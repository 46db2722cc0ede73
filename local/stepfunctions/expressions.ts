/**
 * JSONata in Amazon States Language: `{% expr %}` strings at any depth of a field's JSON value.
 *
 * Each field is compiled once per definition into a small tree (constants, objects, arrays, expressions);
 * each expression string is compiled by jsonata once per process (cache by text). Plain variable paths
 * such as `$states.input.a.b` or `$myVar.x` take a fast path that reads the value without jsonata, with
 * the same result jsonata gives (object steps only; anything else falls back to jsonata).
 *
 * The Step Functions functions `$partition`, `$range`, `$hash`, `$random` (seedable), `$uuid`, `$parse`
 * are bound; `$eval` is refused, as on AWS. `$now()`/`$millis()` read the service clock.
 * See https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html
 */
import { createHash, randomUUID } from 'node:crypto';
import jsonata from 'jsonata';
import { StatesError } from './errors.ts';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export type Compiled =
  | { readonly k: 'const'; readonly v: Json }
  | { readonly k: 'expr'; readonly src: string; readonly path?: readonly string[]; expr?: jsonata.Expression }
  | {
      readonly k: 'obj';
      readonly entries: readonly (readonly [string, Compiled])[];
      /** The entries' field paths (`Output/a`) for the last field this object was evaluated at. */
      at?: { readonly field: string; readonly paths: readonly string[] };
    }
  | { readonly k: 'arr'; readonly items: readonly Compiled[] };

/** What an expression sees: `$states` and the workflow variables visible in the current scope. */
export interface EvalContext {
  /** `$states` as jsonata sees it. */
  readonly states: Record<string, unknown>;
  /** `$states.<name>` (input, result, errorOutput, context) without making the `$states` object. */
  statesField(name: string): unknown;
  /** `$states.context.<name>`, when it can be read without making the whole context object. */
  contextField?(name: string): unknown;
  /** Looks a variable up through the scope chain (innermost first). */
  lookup(name: string): Json | undefined;
  /** All visible variables, inner scopes shadowing outer ones (for jsonata bindings). */
  visible(): Record<string, Json>;
  readonly now: () => number;
}

export class ExpressionSyntaxError extends Error {
  override name = 'ExpressionSyntaxError';
}

const compiledCache = new Map<string, jsonata.Expression>();
const FAST_PATH = /^\$([A-Za-z_][A-Za-z0-9_]*)((?:\.[A-Za-z_][A-Za-z0-9_]*)*)$/;

export function isExpression(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith('{%') && value.endsWith('%}') && value.length >= 4;
}

function compileExpression(src: string): jsonata.Expression {
  let expr = compiledCache.get(src);
  if (!expr) {
    try {
      expr = jsonata(src);
    } catch (error) {
      const e = error as { message?: string; position?: number };
      throw new ExpressionSyntaxError(`${e.message ?? String(error)} (position ${e.position ?? '?'})`, {
        cause: error,
      });
    }
    compiledCache.set(src, expr);
  }
  return expr;
}

/** Compiles a field's value (JSON with `{% %}` strings anywhere). Throws ExpressionSyntaxError. */
export function compileValue(value: unknown): Compiled {
  if (isExpression(value)) {
    const src = value.slice(2, -2).trim();
    if (src === '') throw new ExpressionSyntaxError('empty JSONata expression');
    const fast = FAST_PATH.exec(src);
    if (fast) {
      const path = [fast[1]!, ...(fast[2] ? fast[2].slice(1).split('.') : [])];
      // Still compile (syntax check; the fallback for arrays on the way uses it).
      return { k: 'expr', src, path, expr: compileExpression(src) };
    }
    return { k: 'expr', src, expr: compileExpression(src) };
  }
  if (Array.isArray(value)) {
    const items = value.map(compileValue);
    if (items.every((i) => i.k === 'const')) return { k: 'const', v: value as Json };
    return { k: 'arr', items };
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(([key, v]) => [key, compileValue(v)] as const);
    if (entries.every(([, c]) => c.k === 'const')) return { k: 'const', v: value as Json };
    return { k: 'obj', entries };
  }
  return { k: 'const', v: value as Json };
}

const NOT_FAST = Symbol('notFast');
const NEEDS_JSONATA = Symbol('needsJsonata');

/** An expression error at `field` (a path such as `Output/result`, EvaluationFailed's `location`). */
function expressionError(field: string, message: string, options?: ErrorOptions): StatesError {
  const error = new StatesError('States.QueryEvaluationError', message, options);
  error.location = field;
  return error;
}

function undefinedResult(c: Compiled & { k: 'expr' }, field: string): StatesError {
  return expressionError(
    field,
    `The JSONata expression '${c.src}' specified for the field '${field}' returned nothing (undefined).`,
  );
}

/** Constants and plain paths, without promises; NEEDS_JSONATA when some part needs jsonata. */
function evaluateSync(c: Compiled, ctx: EvalContext, field: string): Json | typeof NEEDS_JSONATA {
  switch (c.k) {
    case 'const':
      return c.v;
    case 'expr': {
      if (!c.path) return NEEDS_JSONATA;
      const value = readPath(ctx, c.path);
      if (value === NOT_FAST) return NEEDS_JSONATA;
      if (value === undefined) throw undefinedResult(c, field);
      return value as Json;
    }
    case 'arr': {
      const out: Json[] = [];
      for (const item of c.items) {
        const v = evaluateSync(item, ctx, field);
        if (v === NEEDS_JSONATA) return NEEDS_JSONATA;
        out.push(v);
      }
      return out;
    }
    case 'obj': {
      const out: Record<string, Json> = {};
      const paths = fieldPaths(c, field);
      for (let i = 0; i < c.entries.length; i++) {
        const [key, item] = c.entries[i]!;
        const v = evaluateSync(item, ctx, paths[i]!);
        if (v === NEEDS_JSONATA) return NEEDS_JSONATA;
        out[key] = v;
      }
      return out;
    }
  }
}

/**
 * The field paths of an object's entries under `field` (`Output` → `Output/a`, `Output/b`), kept on the
 * compiled object for the field it was last evaluated at (a compiled value belongs to one field, so
 * the paths are made once, not on every evaluation).
 */
function fieldPaths(c: Compiled & { k: 'obj' }, field: string): readonly string[] {
  let at = c.at;
  if (at?.field !== field) {
    at = { field, paths: c.entries.map(([key]) => `${field}/${key}`) };
    c.at = at;
  }
  return at.paths;
}

function readPath(ctx: EvalContext, path: readonly string[]): unknown {
  const head = path[0]!;
  if (head === 'states') {
    if (path.length === 1) return ctx.states;
    let value: unknown;
    let i = 2;
    if (path[1] === 'context' && path.length > 2 && ctx.contextField) {
      value = ctx.contextField(path[2]!);
      i = 3;
    } else value = ctx.statesField(path[1]!);
    for (; i < path.length; i++) {
      if (value === undefined) return undefined;
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return NOT_FAST;
      value = (value as Record<string, unknown>)[path[i]!];
    }
    return value;
  }
  let value: unknown = ctx.lookup(head);
  if (value === undefined) return NOT_FAST; // maybe a jsonata built-in; let jsonata decide
  for (let i = 1; i < path.length; i++) {
    if (value === undefined) return undefined;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return NOT_FAST;
    value = (value as Record<string, unknown>)[path[i]!];
  }
  return value;
}

/**
 * Evaluates a compiled value. `field` names the field for error messages. An expression that yields
 * nothing (undefined) is a States.QueryEvaluationError, since JSON has no undefined.
 *
 * Synchronous when no part needs jsonata (constants and plain paths: the value, or a thrown error);
 * otherwise a promise (of the value, or rejected with the error). Callers `await` it, or test
 * `instanceof Promise` on hot paths to skip a needless turn of the microtask queue.
 */
export function evaluate(c: Compiled, ctx: EvalContext, field: string): Json | Promise<Json> {
  let quick: Json | typeof NEEDS_JSONATA;
  try {
    quick = evaluateSync(c, ctx, field);
  } catch (error) {
    throw located(error, field);
  }
  if (quick !== NEEDS_JSONATA) return quick;
  return evaluateField(c, ctx, field).catch((error: unknown) => {
    throw located(error, field);
  });
}

/** The JSON types a field's value may be required to have (`integer`: a number without fraction). */
export type ResultType = 'string' | 'boolean' | 'array' | 'number' | 'integer';

function jsonTypeOf(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

/**
 * Evaluates a field whose value must have one JSON type (Items an array, Condition a boolean, Seconds
 * an integer, a Fail state's Error a string …). Another type is a States.QueryEvaluationError worded
 * as AWS words it: "The JSONata expression '1' specified for the field 'Items' returned an unexpected
 * result type. Expected 'array', but was 'number' for value: 1" (location: the field).
 */
export function evaluateAs(
  c: Compiled,
  ctx: EvalContext,
  field: string,
  expected: ResultType,
): Json | Promise<Json> {
  const value = evaluate(c, ctx, field);
  if (value instanceof Promise) return value.then((v) => checkType(c, field, expected, v));
  return checkType(c, field, expected, value);
}

/** The value if it has the expected JSON type; else AWS's "unexpected result type" error. */
function checkType(c: Compiled, field: string, expected: ResultType, value: Json): Json {
  const ok =
    expected === 'array'
      ? Array.isArray(value)
      : expected === 'integer'
        ? typeof value === 'number' && Number.isInteger(value)
        : typeof value === expected;
  if (ok) return value;
  const src = c.k === 'expr' ? c.src : JSON.stringify(value);
  throw expressionError(
    field,
    `The JSONata expression '${src}' specified for the field '${field}' returned an unexpected result type. Expected '${expected}', but was '${jsonTypeOf(value)}' for value: ${JSON.stringify(value)}`,
  );
}

/** A value of the right type out of the field's range (e.g. a negative MaxConcurrency), at `field`. */
export function outOfRange(c: Compiled, field: string, value: Json, range: string): StatesError {
  const src = c.k === 'expr' ? c.src : JSON.stringify(value);
  return expressionError(
    field,
    `The JSONata expression '${src}' specified for the field '${field}' returned an out-of-range value (${range}): ${JSON.stringify(value)}`,
  );
}

/** Names the field on an expression error (EvaluationFailed's `location`). */
function located(error: unknown, field: string): unknown {
  if (error instanceof StatesError && error.location === undefined) error.location = field;
  return error;
}

async function evaluateField(c: Compiled, ctx: EvalContext, field: string): Promise<Json> {
  switch (c.k) {
    case 'const':
      return c.v;
    case 'expr': {
      let value: unknown = NOT_FAST;
      if (c.path) value = readPath(ctx, c.path);
      if (value === NOT_FAST) value = await runJsonata(c, ctx, field);
      if (value === undefined) throw undefinedResult(c, field);
      return value as Json;
    }
    case 'arr': {
      const out: Json[] = [];
      for (const item of c.items) {
        const v = evaluateSync(item, ctx, field);
        out.push(v === NEEDS_JSONATA ? await evaluateField(item, ctx, field) : v);
      }
      return out;
    }
    case 'obj': {
      const out: Record<string, Json> = {};
      const paths = fieldPaths(c, field);
      for (let i = 0; i < c.entries.length; i++) {
        const [key, item] = c.entries[i]!;
        const v = evaluateSync(item, ctx, paths[i]!);
        out[key] = v === NEEDS_JSONATA ? await evaluateField(item, ctx, paths[i]!) : v;
      }
      return out;
    }
  }
}

async function runJsonata(c: Compiled & { k: 'expr' }, ctx: EvalContext, field: string): Promise<unknown> {
  const expr = c.expr ?? compileExpression(c.src);
  const bindings: Record<string, unknown> = {
    ...functionsFor(ctx.now),
    ...ctx.visible(),
    states: ctx.states,
  };
  let result: unknown;
  try {
    result = await expr.evaluate(undefined, bindings);
  } catch (error) {
    if (error instanceof StatesError) throw error;
    const e = error as { message?: string; code?: string };
    throw expressionError(
      field,
      `The JSONata expression '${c.src}' specified for the field '${field}' returned an error: ${e.code ? `${e.code} ` : ''}${e.message ?? String(error)}`,
      { cause: error },
    );
  }
  return normalise(result, c, field);
}

/** A jsonata function value (a lambda or a native function binding), which JSON cannot hold. */
function isFunctionValue(value: unknown): boolean {
  return (
    typeof value === 'function' ||
    (value !== null &&
      typeof value === 'object' &&
      (value as { _jsonata_lambda?: unknown })._jsonata_lambda === true)
  );
}

/**
 * jsonata returns arrays tagged as sequences and may return functions; make it plain JSON. A function
 * (or a non-finite number) is "an unsupported result type", as AWS words it.
 */
function normalise(value: unknown, c: Compiled & { k: 'expr' }, field: string): unknown {
  if (value === undefined) return undefined;
  if (isFunctionValue(value) || (typeof value === 'number' && !Number.isFinite(value)))
    throw expressionError(
      field,
      `The JSONata expression '${c.src}' specified for the field '${field}' returned an unsupported result type.`,
    );
  if (Array.isArray(value) && (value as { sequence?: boolean }).sequence) return Array.from(value);
  return value;
}

// ---- Step Functions' JSONata functions --------------------------------------------------------------

function fail(fn: string, message: string): never {
  throw new StatesError('States.QueryEvaluationError', `$${fn}: ${message}`);
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HASH_ALGORITHMS: Record<string, string> = {
  MD5: 'md5',
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};

const fromMillis = jsonata('$fromMillis($ms, $p, $tz)');

const byClock = new WeakMap<() => number, Record<string, unknown>>();

/** The function bindings, made once per clock (the engine's `now` function). */
function functionsFor(now: () => number): Record<string, unknown> {
  let functions = byClock.get(now);
  if (!functions) {
    functions = functionBindings(now);
    byClock.set(now, functions);
  }
  return functions;
}

function functionBindings(now: () => number): Record<string, unknown> {
  return {
    partition: (array: unknown, size: unknown) => {
      if (!Array.isArray(array)) fail('partition', 'the first argument must be an array');
      if (typeof size !== 'number' || !Number.isInteger(size) || size < 1)
        fail('partition', 'the chunk size must be a positive integer');
      const out: unknown[][] = [];
      for (let i = 0; i < array.length; i += size) out.push(array.slice(i, i + size));
      return out;
    },
    range: (start: unknown, end: unknown, step: unknown = 1) => {
      if (typeof start !== 'number' || typeof end !== 'number' || typeof step !== 'number')
        fail('range', 'start, end and step must be numbers');
      if (step === 0) fail('range', 'step may not be 0');
      const out: number[] = [];
      for (let v = start; step > 0 ? v <= end : v >= end; v += step) {
        out.push(v);
        if (out.length > 1000) fail('range', 'the range may hold at most 1000 items');
      }
      // AWS's $range yields a JSONata sequence: one item is that item itself ($range(1, 9, 9) is 1).
      return out.length === 1 ? out[0] : out;
    },
    hash: (data: unknown, algorithm: unknown) => {
      const alg = typeof algorithm === 'string' ? HASH_ALGORITHMS[algorithm] : undefined;
      if (!alg)
        fail(
          'hash',
          `unsupported algorithm ${JSON.stringify(algorithm)} (MD5, SHA-1, SHA-256, SHA-384, SHA-512)`,
        );
      if (data === undefined) fail('hash', 'no data to hash');
      const text = typeof data === 'string' ? data : JSON.stringify(data);
      return createHash(alg).update(text, 'utf8').digest('hex');
    },
    random: (seed?: unknown) => {
      if (seed === undefined) return Math.random();
      if (typeof seed !== 'number' || !Number.isFinite(seed)) fail('random', 'the seed must be a number');
      return mulberry32(Math.trunc(seed))();
    },
    uuid: () => randomUUID(),
    parse: (text: unknown) => {
      if (typeof text !== 'string') fail('parse', 'the argument must be a string of JSON');
      try {
        return JSON.parse(text);
      } catch (error) {
        fail('parse', `not valid JSON: ${(error as Error).message}`);
      }
    },
    eval: () => fail('eval', '$eval is not supported in Step Functions; use $parse'),
    millis: () => now(),
    now: (picture?: unknown, timezone?: unknown) =>
      fromMillis.evaluate(undefined, { ms: now(), p: picture, tz: timezone }),
  };
}
