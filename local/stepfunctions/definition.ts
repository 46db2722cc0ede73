/**
 * Parses, validates and compiles an Amazon States Language definition in JSONata mode.
 * Validation failures are `InvalidDefinition` with AWS-style messages
 * (`Invalid State Machine Definition: 'CODE: message at /States/X/Field'`).
 */
import type { Catcher, ChoiceRule, Definition, Machine, Retrier, State, TaskState } from './asl.ts';
import { InvalidDefinition } from './errors.ts';
import { type Compiled, compileValue, ExpressionSyntaxError, isExpression } from './expressions.ts';
import { parseRfc3339 } from './timestamps.ts';

export type * from './asl.ts';
export { parseRfc3339 } from './timestamps.ts';

const STATE_TYPES = new Set(['Task', 'Pass', 'Choice', 'Wait', 'Succeed', 'Fail', 'Parallel', 'Map']);
const JSONPATH_FIELDS = [
  'InputPath',
  'OutputPath',
  'Parameters',
  'ResultPath',
  'ResultSelector',
  'ItemsPath',
];
const COMMON_FIELDS = ['Type', 'Comment', 'QueryLanguage'];
const ALLOWED: Record<string, readonly string[]> = {
  Task: [
    ...COMMON_FIELDS,
    'Resource',
    'Arguments',
    'Output',
    'Assign',
    'Next',
    'End',
    'TimeoutSeconds',
    'HeartbeatSeconds',
    'Retry',
    'Catch',
  ],
  Pass: [...COMMON_FIELDS, 'Output', 'Assign', 'Next', 'End'],
  Choice: [...COMMON_FIELDS, 'Choices', 'Default', 'Output', 'Assign'],
  Wait: [...COMMON_FIELDS, 'Seconds', 'Timestamp', 'Output', 'Assign', 'Next', 'End'],
  Succeed: [...COMMON_FIELDS, 'Output'],
  Fail: [...COMMON_FIELDS, 'Error', 'Cause'],
  Parallel: [...COMMON_FIELDS, 'Branches', 'Arguments', 'Output', 'Assign', 'Next', 'End', 'Retry', 'Catch'],
  Map: [
    ...COMMON_FIELDS,
    'Items',
    'ItemSelector',
    'ItemProcessor',
    'Iterator',
    'MaxConcurrency',
    'Output',
    'Assign',
    'Next',
    'End',
    'Retry',
    'Catch',
    'Label',
    'ToleratedFailurePercentage',
    'ToleratedFailureCount',
    'ItemReader',
    'ItemBatcher',
    'ResultWriter',
  ],
};

const LAMBDA_RESOURCES: Record<string, TaskState['resource']> = {
  'arn:aws:states:::lambda:invoke': 'invoke',
  'arn:aws:states:::lambda:invoke.waitForTaskToken': 'invoke.waitForTaskToken',
};

/** A Lambda function ARN, optionally with a version or alias (arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]). */
const LAMBDA_FUNCTION_ARN =
  /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_$-]{1,128})?$/;

function invalid(code: string, message: string, at: string): never {
  throw new InvalidDefinition(`Invalid State Machine Definition: '${code}: ${message} at ${at}'`);
}

type Obj = Record<string, unknown>;

function isObj(value: unknown): value is Obj {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

class Compiler {
  readonly all = new Map<string, State>();
  readonly names = new Set<string>();

  compileField(value: unknown, at: string): Compiled | undefined {
    if (value === undefined) return undefined;
    try {
      return compileValue(value);
    } catch (error) {
      if (error instanceof ExpressionSyntaxError)
        invalid('SCHEMA_VALIDATION_FAILED', `The JSONata expression is invalid: ${error.message}`, at);
      throw error;
    }
  }

  /** A number field that may also be a JSONata expression (TimeoutSeconds, Seconds, MaxConcurrency…). */
  numberOrExpr(value: unknown, at: string, min: number): Compiled | undefined {
    if (value === undefined) return undefined;
    if (isExpression(value)) return this.compileField(value, at);
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min)
      invalid('SCHEMA_VALIDATION_FAILED', `Expected an integer >= ${min} or a JSONata expression`, at);
    return { k: 'const', v: value };
  }

  /** A number from 0 to 100 (not only integers) or a JSONata expression (ToleratedFailurePercentage). */
  percentOrExpr(value: unknown, at: string): Compiled | undefined {
    if (value === undefined) return undefined;
    if (isExpression(value)) return this.compileField(value, at);
    if (typeof value !== 'number' || value < 0 || value > 100)
      invalid('SCHEMA_VALIDATION_FAILED', 'Expected a number from 0 to 100 or a JSONata expression', at);
    return { k: 'const', v: value };
  }

  assignField(value: unknown, at: string): Compiled | undefined {
    if (value === undefined) return undefined;
    if (!isObj(value)) invalid('SCHEMA_VALIDATION_FAILED', 'Assign must be a JSON object', at);
    for (const key of Object.keys(value)) {
      if (key === 'states')
        invalid('SCHEMA_VALIDATION_FAILED', "The variable name 'states' is reserved", `${at}/${key}`);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key))
        invalid('SCHEMA_VALIDATION_FAILED', `Invalid variable name '${key}'`, `${at}/${key}`);
    }
    return this.compileField(value, at);
  }

  errorEquals(value: unknown, at: string): string[] {
    if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string'))
      invalid('SCHEMA_VALIDATION_FAILED', 'ErrorEquals must be a non-empty array of strings', at);
    if (value.includes('States.ALL') && value.length > 1)
      invalid('SCHEMA_VALIDATION_FAILED', "'States.ALL' must appear alone in ErrorEquals", at);
    return value as string[];
  }

  retriers(value: unknown, at: string): Retrier[] {
    if (value === undefined) return [];
    if (!Array.isArray(value)) invalid('SCHEMA_VALIDATION_FAILED', 'Retry must be an array', at);
    return value.map((r, i) => {
      const here = `${at}[${i}]`;
      if (!isObj(r)) invalid('SCHEMA_VALIDATION_FAILED', 'A retrier must be an object', here);
      const errorEquals = this.errorEquals(r.ErrorEquals, `${here}/ErrorEquals`);
      if (errorEquals.includes('States.ALL') && i !== value.length - 1)
        invalid('SCHEMA_VALIDATION_FAILED', "A retrier with 'States.ALL' must be the last one", here);
      const num = (field: string, dflt: number | undefined, min: number, integer: boolean) => {
        const v = r[field];
        if (v === undefined) return dflt;
        if (typeof v !== 'number' || v < min || (integer && !Number.isInteger(v)))
          invalid(
            'SCHEMA_VALIDATION_FAILED',
            `${field} must be a ${integer ? 'integer' : 'number'} >= ${min}`,
            `${here}/${field}`,
          );
        return v;
      };
      const jitter = r.JitterStrategy ?? 'NONE';
      if (jitter !== 'FULL' && jitter !== 'NONE')
        invalid('SCHEMA_VALIDATION_FAILED', 'JitterStrategy must be FULL or NONE', `${here}/JitterStrategy`);
      return {
        errorEquals,
        intervalSeconds: num('IntervalSeconds', 1, 1, true)!,
        maxAttempts: num('MaxAttempts', 3, 0, true)!,
        backoffRate: num('BackoffRate', 2, 1, false)!,
        maxDelaySeconds: num('MaxDelaySeconds', undefined, 1, true),
        jitter,
      };
    });
  }

  catchers(value: unknown, at: string): Catcher[] {
    if (value === undefined) return [];
    if (!Array.isArray(value)) invalid('SCHEMA_VALIDATION_FAILED', 'Catch must be an array', at);
    return value.map((c, i) => {
      const here = `${at}[${i}]`;
      if (!isObj(c)) invalid('SCHEMA_VALIDATION_FAILED', 'A catcher must be an object', here);
      const errorEquals = this.errorEquals(c.ErrorEquals, `${here}/ErrorEquals`);
      if (errorEquals.includes('States.ALL') && i !== value.length - 1)
        invalid('SCHEMA_VALIDATION_FAILED', "A catcher with 'States.ALL' must be the last one", here);
      for (const f of ['ResultPath'])
        if (f in c)
          invalid('SCHEMA_VALIDATION_FAILED', `Field '${f}' is not supported in JSONata`, `${here}/${f}`);
      if (typeof c.Next !== 'string')
        invalid('SCHEMA_VALIDATION_FAILED', 'A catcher needs Next', `${here}/Next`);
      return {
        errorEquals,
        next: c.Next,
        output: this.compileField(c.Output, `${here}/Output`),
        assign: this.assignField(c.Assign, `${here}/Assign`),
      };
    });
  }

  machine(raw: unknown, at: string, topLanguage: string): Machine {
    if (!isObj(raw)) invalid('SCHEMA_VALIDATION_FAILED', 'Expected an object', at);
    const startAt = raw.StartAt;
    const statesRaw = raw.States;
    if (typeof startAt !== 'string')
      invalid('SCHEMA_VALIDATION_FAILED', "The field 'StartAt' is required", `${at}/StartAt`);
    if (!isObj(statesRaw) || Object.keys(statesRaw).length === 0)
      invalid('SCHEMA_VALIDATION_FAILED', "The field 'States' must be a non-empty object", `${at}/States`);
    const states = new Map<string, State>();
    for (const [name, value] of Object.entries(statesRaw)) {
      const here = `${at}/States/${name}`;
      if (name.length === 0 || name.length > 80)
        invalid('SCHEMA_VALIDATION_FAILED', 'State names must be 1 to 80 characters', here);
      if (this.names.has(name)) invalid('DUPLICATE_STATE_NAME', `Duplicate State name: ${name}`, here);
      this.names.add(name);
      const state = this.state(name, value, here, topLanguage);
      states.set(name, state);
      this.all.set(name, state);
    }
    if (!states.has(startAt))
      invalid('MISSING_TRANSITION_TARGET', `Missing 'StartAt' target: ${startAt}`, `${at}/StartAt`);
    // Transition targets and reachability, within this machine.
    const targets = (s: State): string[] => {
      const out: string[] = [];
      if (s.next) out.push(s.next);
      if (s.type === 'Choice') {
        for (const c of s.choices) out.push(c.next);
        if (s.default) out.push(s.default);
      }
      if (s.type === 'Task' || s.type === 'Map' || s.type === 'Parallel')
        for (const c of s.catch) out.push(c.next);
      return out;
    };
    for (const s of states.values()) {
      for (const target of targets(s))
        if (!states.has(target))
          invalid('MISSING_TRANSITION_TARGET', `Missing 'Next' target: ${target}`, `${at}/States/${s.name}`);
    }
    const seen = new Set<string>([startAt]);
    const todo = [startAt];
    while (todo.length > 0) {
      const s = states.get(todo.pop()!)!;
      for (const target of targets(s))
        if (!seen.has(target)) {
          seen.add(target);
          todo.push(target);
        }
    }
    for (const name of states.keys())
      if (!seen.has(name))
        invalid('UNREACHABLE_STATE', `State ${name} is not reachable`, `${at}/States/${name}`);
    return { startAt, states };
  }

  state(name: string, raw: unknown, at: string, topLanguage: string): State {
    if (!isObj(raw)) invalid('SCHEMA_VALIDATION_FAILED', 'A state must be an object', at);
    const type = raw.Type;
    if (typeof type !== 'string' || !STATE_TYPES.has(type))
      invalid('SCHEMA_VALIDATION_FAILED', `Invalid or missing Type ${JSON.stringify(type)}`, `${at}/Type`);
    const language = raw.QueryLanguage ?? topLanguage;
    if (language !== 'JSONata')
      invalid(
        'SCHEMA_VALIDATION_FAILED',
        'This local service runs JSONata states only; set QueryLanguage to "JSONata" (JSONPath is not supported)',
        `${at}/QueryLanguage`,
      );
    for (const field of JSONPATH_FIELDS)
      if (field in raw)
        invalid(
          'SCHEMA_VALIDATION_FAILED',
          `The field '${field}' is not supported in JSONata states`,
          `${at}/${field}`,
        );
    for (const field of Object.keys(raw))
      if (!ALLOWED[type]!.includes(field))
        invalid(
          'SCHEMA_VALIDATION_FAILED',
          `The field '${field}' is not supported by ${type} states`,
          `${at}/${field}`,
        );
    const terminal = type === 'Succeed' || type === 'Fail' || type === 'Choice';
    const next = raw.Next;
    const end = raw.End === true;
    if (!terminal) {
      if (next !== undefined && typeof next !== 'string')
        invalid('SCHEMA_VALIDATION_FAILED', 'Next must be a string', `${at}/Next`);
      if ((next === undefined) === !end)
        invalid('SCHEMA_VALIDATION_FAILED', "Exactly one of 'Next' or 'End' is required", at);
    }
    const base = {
      name,
      next: terminal ? undefined : (next as string | undefined),
      end: terminal ? type !== 'Choice' : end,
      output: this.compileField(raw.Output, `${at}/Output`),
      assign: this.assignField(raw.Assign, `${at}/Assign`),
    };
    switch (type) {
      case 'Pass':
        return { ...base, type };
      case 'Succeed':
        return { ...base, type };
      case 'Fail': {
        for (const f of ['Error', 'Cause'])
          if (raw[f] !== undefined && typeof raw[f] !== 'string')
            invalid(
              'SCHEMA_VALIDATION_FAILED',
              `${f} must be a string or a JSONata expression`,
              `${at}/${f}`,
            );
        return {
          ...base,
          type,
          error: this.compileField(raw.Error, `${at}/Error`),
          cause: this.compileField(raw.Cause, `${at}/Cause`),
        };
      }
      case 'Wait': {
        const has = ['Seconds', 'Timestamp'].filter((f) => raw[f] !== undefined);
        if (has.length !== 1)
          invalid(
            'SCHEMA_VALIDATION_FAILED',
            "A Wait state needs exactly one of 'Seconds' or 'Timestamp'",
            at,
          );
        if (raw.Timestamp !== undefined && typeof raw.Timestamp !== 'string')
          invalid('SCHEMA_VALIDATION_FAILED', 'Timestamp must be a string', `${at}/Timestamp`);
        // A literal must be RFC 3339 (uppercase T, Z or a numeric offset): "Jan 1 2020" or a timestamp
        // without an offset would wait by the host's time zone.
        if (
          typeof raw.Timestamp === 'string' &&
          !isExpression(raw.Timestamp) &&
          parseRfc3339(raw.Timestamp) === undefined
        )
          invalid('SCHEMA_VALIDATION_FAILED', 'String does not match RFC3339 timestamp', `${at}/Timestamp`);
        return {
          ...base,
          type,
          seconds: this.numberOrExpr(raw.Seconds, `${at}/Seconds`, 0),
          timestamp: this.compileField(raw.Timestamp, `${at}/Timestamp`),
        };
      }
      case 'Choice': {
        if (!Array.isArray(raw.Choices) || raw.Choices.length === 0)
          invalid(
            'SCHEMA_VALIDATION_FAILED',
            "The field 'Choices' must be a non-empty array",
            `${at}/Choices`,
          );
        const choices = raw.Choices.map((c: unknown, i: number): ChoiceRule => {
          const here = `${at}/Choices[${i}]`;
          if (!isObj(c)) invalid('SCHEMA_VALIDATION_FAILED', 'A choice rule must be an object', here);
          if (c.Condition === undefined)
            invalid(
              'SCHEMA_VALIDATION_FAILED',
              "A JSONata choice rule needs 'Condition' (JSONPath comparators are not supported)",
              here,
            );
          if (typeof c.Next !== 'string')
            invalid('SCHEMA_VALIDATION_FAILED', 'A choice rule needs Next', `${here}/Next`);
          if (typeof c.Condition !== 'boolean' && !isExpression(c.Condition))
            invalid(
              'SCHEMA_VALIDATION_FAILED',
              'Condition must be a boolean or a JSONata expression',
              `${here}/Condition`,
            );
          return {
            condition: this.compileField(c.Condition, `${here}/Condition`)!,
            next: c.Next,
            output: this.compileField(c.Output, `${here}/Output`),
            assign: this.assignField(c.Assign, `${here}/Assign`),
          };
        });
        if (raw.Default !== undefined && typeof raw.Default !== 'string')
          invalid('SCHEMA_VALIDATION_FAILED', 'Default must be a state name', `${at}/Default`);
        return { ...base, type, choices, default: raw.Default as string | undefined };
      }
      case 'Task': {
        const plain = typeof raw.Resource === 'string' && LAMBDA_FUNCTION_ARN.test(raw.Resource);
        const resource = plain
          ? 'function'
          : typeof raw.Resource === 'string'
            ? LAMBDA_RESOURCES[raw.Resource]
            : undefined;
        if (!resource)
          invalid(
            'SCHEMA_VALIDATION_FAILED',
            `Unsupported Resource ${JSON.stringify(raw.Resource)}: this local service supports arn:aws:states:::lambda:invoke, arn:aws:states:::lambda:invoke.waitForTaskToken and Lambda function ARNs`,
            `${at}/Resource`,
          );
        if (raw.Arguments !== undefined && !isObj(raw.Arguments) && !isExpression(raw.Arguments))
          invalid(
            'SCHEMA_VALIDATION_FAILED',
            'Arguments must be an object or a JSONata expression',
            `${at}/Arguments`,
          );
        if (raw.Arguments === undefined && !plain)
          invalid(
            'SCHEMA_VALIDATION_FAILED',
            'The lambda:invoke Arguments (with FunctionName) are required',
            `${at}/Arguments`,
          );
        if (!plain && isObj(raw.Arguments) && raw.Arguments.FunctionName === undefined)
          invalid(
            'SCHEMA_VALIDATION_FAILED',
            'The lambda:invoke Arguments need FunctionName',
            `${at}/Arguments`,
          );
        if (
          typeof raw.TimeoutSeconds === 'number' &&
          typeof raw.HeartbeatSeconds === 'number' &&
          raw.HeartbeatSeconds >= raw.TimeoutSeconds
        )
          invalid(
            'SCHEMA_VALIDATION_FAILED',
            'HeartbeatSeconds must be smaller than TimeoutSeconds',
            `${at}/HeartbeatSeconds`,
          );
        return {
          ...base,
          type,
          resource,
          functionArn: plain ? (raw.Resource as string) : undefined,
          args: this.compileField(raw.Arguments, `${at}/Arguments`),
          timeout: this.numberOrExpr(raw.TimeoutSeconds, `${at}/TimeoutSeconds`, 1),
          heartbeat: this.numberOrExpr(raw.HeartbeatSeconds, `${at}/HeartbeatSeconds`, 1),
          retry: this.retriers(raw.Retry, `${at}/Retry`),
          catch: this.catchers(raw.Catch, `${at}/Catch`),
        };
      }
      case 'Parallel': {
        if (!Array.isArray(raw.Branches) || raw.Branches.length === 0)
          invalid(
            'SCHEMA_VALIDATION_FAILED',
            "The field 'Branches' must be a non-empty array",
            `${at}/Branches`,
          );
        const branches = raw.Branches.map((b: unknown, i: number) =>
          this.machine(b, `${at}/Branches[${i}]`, language),
        );
        return {
          ...base,
          type,
          args: this.compileField(raw.Arguments, `${at}/Arguments`),
          branches,
          retry: this.retriers(raw.Retry, `${at}/Retry`),
          catch: this.catchers(raw.Catch, `${at}/Catch`),
        };
      }
      case 'Map': {
        for (const f of ['ItemReader', 'ItemBatcher', 'ResultWriter', 'Label'])
          if (f in raw)
            invalid(
              'SCHEMA_VALIDATION_FAILED',
              `The field '${f}' belongs to the distributed Map, which this local service does not run`,
              `${at}/${f}`,
            );
        if ('Iterator' in raw)
          invalid(
            'SCHEMA_VALIDATION_FAILED',
            "Use 'ItemProcessor' instead of the deprecated 'Iterator'",
            `${at}/Iterator`,
          );
        const processor = raw.ItemProcessor;
        if (!isObj(processor))
          invalid('SCHEMA_VALIDATION_FAILED', "The field 'ItemProcessor' is required", `${at}/ItemProcessor`);
        const config = processor.ProcessorConfig;
        if (isObj(config) && config.Mode !== undefined && config.Mode !== 'INLINE')
          invalid(
            'SCHEMA_VALIDATION_FAILED',
            'Only the inline Map (ProcessorConfig.Mode INLINE) is supported',
            `${at}/ItemProcessor/ProcessorConfig`,
          );
        const { ProcessorConfig: _c, ...machineRaw } = processor;
        if (raw.Items !== undefined && !Array.isArray(raw.Items) && !isExpression(raw.Items))
          invalid(
            'SCHEMA_VALIDATION_FAILED',
            'Items must be an array or a JSONata expression',
            `${at}/Items`,
          );
        return {
          ...base,
          type,
          items: this.compileField(raw.Items, `${at}/Items`),
          itemSelector: this.compileField(raw.ItemSelector, `${at}/ItemSelector`),
          processor: this.machine(machineRaw, `${at}/ItemProcessor`, language),
          maxConcurrency: this.numberOrExpr(raw.MaxConcurrency, `${at}/MaxConcurrency`, 0),
          toleratedFailurePercentage: this.percentOrExpr(
            raw.ToleratedFailurePercentage,
            `${at}/ToleratedFailurePercentage`,
          ),
          toleratedFailureCount: this.numberOrExpr(
            raw.ToleratedFailureCount,
            `${at}/ToleratedFailureCount`,
            0,
          ),
          retry: this.retriers(raw.Retry, `${at}/Retry`),
          catch: this.catchers(raw.Catch, `${at}/Catch`),
        };
      }
    }
    invalid('SCHEMA_VALIDATION_FAILED', `Unknown Type ${type}`, `${at}/Type`);
  }
}

/** Parses and validates a definition string. Throws InvalidDefinition with a message naming the place. */
export function parseDefinition(text: string): Definition {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new InvalidDefinition(
      `Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: ${(error as Error).message}'`,
    );
  }
  if (!isObj(raw)) invalid('SCHEMA_VALIDATION_FAILED', 'The definition must be a JSON object', '/');
  const language = raw.QueryLanguage ?? 'JSONPath';
  if (language !== 'JSONata' && language !== 'JSONPath')
    invalid('SCHEMA_VALIDATION_FAILED', 'QueryLanguage must be JSONata or JSONPath', '/QueryLanguage');
  for (const field of Object.keys(raw))
    if (!['StartAt', 'States', 'Comment', 'Version', 'TimeoutSeconds', 'QueryLanguage'].includes(field))
      invalid('SCHEMA_VALIDATION_FAILED', `The field '${field}' is not supported here`, `/${field}`);
  const timeout = raw.TimeoutSeconds;
  if (timeout !== undefined && (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < 1))
    invalid('SCHEMA_VALIDATION_FAILED', 'TimeoutSeconds must be a positive integer', '/TimeoutSeconds');
  const compiler = new Compiler();
  const root = compiler.machine(raw, '', language as string);
  return { root, states: compiler.all, timeoutSeconds: timeout as number | undefined };
}
