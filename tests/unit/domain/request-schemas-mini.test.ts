/**
 * The request and step schemas are zod/mini (issue 16): every exported schema of shared/schemas/{bilingual,
 * casework,citizen,complaint,exchange,fields,findings,intake,steps}.ts is a zod/mini schema; their
 * metadata goes through `withMeta` (classic `.meta()`: a registered copy, the original unchanged); and a
 * Lambda bundle that uses one of them does not carry the others of its module.
 */
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { esbuildShared, repoRoot } from '#infra/bundling.ts';
import * as bilingual from '#shared/schemas/bilingual.ts';
import * as casework from '#shared/schemas/casework.ts';
import * as citizen from '#shared/schemas/citizen.ts';
import * as complaint from '#shared/schemas/complaint.ts';
import * as exchange from '#shared/schemas/exchange.ts';
import * as fields from '#shared/schemas/fields.ts';
import * as findings from '#shared/schemas/findings.ts';
import * as intake from '#shared/schemas/intake.ts';
import { withMeta } from '#shared/schemas/meta.ts';
import * as steps from '#shared/schemas/steps.ts';
import * as z from '#shared/schemas/zod.ts';

const modules = { bilingual, casework, citizen, complaint, exchange, fields, findings, intake, steps };

// biome-ignore lint/suspicious/noExplicitAny: generated JSON Schema, inspected structurally
type JsonSchema = any;

describe('request and step schemas on zod/mini', () => {
  it('every exported schema, and those the factories build, is a zod/mini schema', () => {
    const schemas: [string, unknown][] = Object.entries(modules).flatMap(([m, mod]) =>
      Object.entries(mod)
        .filter(([, v]) => typeof v === 'object' && v !== null && '_zod' in v)
        .map(([k, v]) => [`${m}.${k}`, v] as [string, unknown]),
    );
    schemas.push(
      ['intakeRequestSchema()', intake.intakeRequestSchema()],
      ['makeExchangeQuerySchema()', exchange.makeExchangeQuerySchema()],
      ['makeRegistryChangeSchema()', exchange.makeRegistryChangeSchema()],
      ['makeComplaintSchema()', complaint.makeComplaintSchema()],
      ['makeRatingSchema()', complaint.makeRatingSchema()],
      ['textSchema()', fields.textSchema({ max: 5 })],
    );
    expect(schemas.length).toBeGreaterThan(40);
    // zod/mini schemas have no classic methods (`.meta`, `.optional` …) on them.
    const classic = schemas.filter(([, s]) => 'optional' in (s as object) || 'meta' in (s as object));
    expect(classic.map(([name]) => name)).toEqual([]);
  });

  it('withMeta registers a copy: the original keeps its metadata, the copy inherits it but the id', () => {
    const base = withMeta(z.string(), { id: 'WithMetaBase', description: 'base', examples: ['x'] });
    const copy = base.apply(withMeta, { description: 'copy' });
    expect(copy).not.toBe(base);
    expect(z.globalRegistry.get(base)).toEqual({ id: 'WithMetaBase', description: 'base', examples: ['x'] });
    expect(z.globalRegistry.get(copy)).toEqual({ description: 'copy', examples: ['x'] });
  });

  it('a shared field schema carries a different description at each use (intake references)', () => {
    const schema = intake.intakeJsonSchema() as JsonSchema;
    const kinds: JsonSchema[] = schema.properties.applicant.oneOf ?? schema.properties.applicant.anyOf;
    const agent = kinds.find((a) => a.properties.kind.const === 'AGENT');
    const unit = kinds.find((a) => a.properties.kind.const === 'UNIT');
    expect(agent.properties.powerOfAttorneyRef.description).toBe(
      'reference of the power of attorney (委托书)',
    );
    expect(unit.properties.letterRef.description).toBe('reference of the letter of introduction (介绍信)');
    expect(unit.properties.name.description).toBe('the unit’s contact person');
    expect(agent.properties.name.description).toBeUndefined();
  });

  it('a bundle that uses one request schema leaves out the others of its module', {
    timeout: 60_000,
  }, async () => {
    const result = await build({
      stdin: {
        contents:
          "import { RevealBodySchema } from '#shared/schemas/casework.ts'; console.log(RevealBodySchema);",
        resolveDir: repoRoot,
        loader: 'ts',
      },
      absWorkingDir: repoRoot,
      bundle: true,
      write: false,
      platform: esbuildShared.platform,
      format: esbuildShared.format,
      target: esbuildShared.target,
      minify: true,
      mainFields: [...esbuildShared.mainFields],
      alias: { ...esbuildShared.alias },
      logLevel: 'silent',
    });
    const out = result.outputFiles[0]?.text ?? '';
    expect(out).toContain('RevealRequest');
    // SearchRequest, AssignRequest and the supervision range check are other routes' schemas.
    for (const other of ['SearchRequest', 'AssignRequest', '日期范围最多92天'])
      expect(out.includes(other), other).toBe(false);
  });
});
