/**
 * Bad data never escapes as an untyped exception: whatever JSON is fed to the policy, registry and holiday
 * parsers, the result is parsed data or the typed error with a path for every problem.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildDemoRegistry } from '#local/demo/demo-people.ts';
import { CalendarDataError, parseHolidaySupplement } from '#shared/domain/calendar.ts';
import { bundledPolicyFile } from '#shared/policy/bundled.ts';
import { PolicyError, parsePolicy } from '#shared/policy/policy.ts';
import { parseRegistry, RegistryError } from '#shared/registry/registry.ts';

const jilin = bundledPolicyFile('jilin-2016');

type Json = unknown;

/** All paths to values inside a JSON document. */
function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return [prefix, ...value.flatMap((v, i) => paths(v, [...prefix, i]))];
  if (value !== null && typeof value === 'object') {
    return [prefix, ...Object.entries(value).flatMap(([k, v]) => paths(v, [...prefix, k]))];
  }
  return [prefix];
}

function setAt(doc: Json, path: (string | number)[], replacement: Json): Json {
  if (path.length === 0) return replacement;
  const copy = structuredClone(doc) as Record<string | number, Json>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, Json>;
  node[path.at(-1)!] = replacement;
  return copy;
}

/** A valid document with one value somewhere replaced by arbitrary JSON. */
function mutated(doc: Json) {
  const all = paths(doc);
  return fc
    .tuple(fc.integer({ min: 0, max: all.length - 1 }), fc.jsonValue({ maxDepth: 2 }))
    .map(([i, v]) => setAt(doc, all[i]!, v));
}

function typedOnly(
  parse: (d: unknown) => unknown,
  ErrorClass: new (...a: never[]) => Error & { errors: unknown[] },
) {
  return (data: unknown) => {
    try {
      parse(data);
    } catch (e) {
      expect(e).toBeInstanceOf(ErrorClass);
      const errors = (e as { errors: { path: string; message: string }[] }).errors;
      expect(errors.length).toBeGreaterThan(0);
      for (const x of errors) {
        expect(typeof x.path).toBe('string');
        expect(x.message.length).toBeGreaterThan(0);
      }
    }
  };
}

describe('bad data yields typed errors only', () => {
  it('policy: any mutation of jilin-2016', () => {
    fc.assert(fc.property(mutated(jilin), typedOnly(parsePolicy, PolicyError)), { numRuns: 300 });
  });

  it('registry: any mutation of the demo registry', () => {
    fc.assert(fc.property(mutated(buildDemoRegistry()), typedOnly(parseRegistry, RegistryError)), {
      numRuns: 300,
    });
  });

  it('holiday data: any JSON', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.jsonValue(), mutated({ years: [2027], holidays: { '2027-01-01': 'x' }, workdays: {} })),
        typedOnly(parseHolidaySupplement, CalendarDataError),
      ),
      { numRuns: 300 },
    );
  });

  it('any JSON at all', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (data) => {
        typedOnly(parsePolicy, PolicyError)(data);
        typedOnly(parseRegistry, RegistryError)(data);
      }),
      { numRuns: 200 },
    );
  });
});
