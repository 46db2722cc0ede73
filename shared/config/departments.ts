/**
 * The connected departments' configuration — Standard Webhooks secrets, delivery endpoint, connection —
 * as one JSON document in Secrets Manager (`certflow/<stage>/department-secrets`; the local stack's
 * Secrets Manager-compatible service holds the same document). Handlers read it through Powertools
 * Parameters (functions/edge/departments.ts); `npm run admin` writes it (infra/admin.ts).
 *
 * ```json
 * { "departments": { "NOTARY": { "secrets": ["whsec_…"], "endpoint": "https://…", "connected": true } } }
 * ```
 * `secrets`: newest first (the first signs what certflow sends; any verifies), at most 3. Optional
 * `level` (`PROVINCE` | `CITY` | `COUNTY`) and `region` (`{ "city": "长春市", "county": "朝阳区" }`) dock
 * the body level by level (逐级对接, shared/domain/docking.ts). Keys beside
 * `departments` (e.g. the `placeholder` CDK generates into the first value) are ignored.
 */
import * as z from '#shared/schemas/zod.ts';

export class DepartmentSecretsError extends Error {
  override name = 'DepartmentSecretsError';
}

export const DEPARTMENT_CODE = /^[A-Z][A-Z_]{1,39}$/;
/** How many secrets a department keeps during a rotation. */
export const MAX_DEPARTMENT_SECRETS = 3;

/**
 * The department secrets document's schema. Built on the first parse, not at import: most Lambda bundles
 * import this module, few read the document (issue 16, bench/PERF-NOTES.md "round 4 — zod/mini").
 */
function makeDepartmentSecretsSchema() {
  const DepartmentEntrySchema = z
    .object({
      secrets: z
        .array(z.string().check(z.regex(/^whsec_[A-Za-z0-9+/]{32,}={0,2}$/, 'a whsec_… secret')))
        .check(z.maxLength(MAX_DEPARTMENT_SECRETS)),
      endpoint: z.optional(z.url({ protocol: /^https?$/ })),
      connected: z.boolean(),
      /** Level-by-level docking (逐级对接): the body's level; absent: it is answered directly, province-wide. */
      level: z.optional(z.enum(['PROVINCE', 'CITY', 'COUNTY'])),
      /** The body's region down to its level (`city` for CITY, `city` and `county` for COUNTY). */
      region: z.optional(
        z.object({
          city: z.optional(z.string().check(z.minLength(1))),
          county: z.optional(z.string().check(z.minLength(1))),
        }),
      ),
    })
    .check(
      z.superRefine((d, ctx) => {
        const needs = d.level === 'COUNTY' ? ['city', 'county'] : d.level === 'CITY' ? ['city'] : [];
        for (const field of needs as ('city' | 'county')[])
          if (!d.region?.[field])
            ctx.addIssue({
              code: 'custom',
              path: ['region', field],
              message: `a ${d.level} body needs region.${field}`,
            });
      }),
    );

  return z.object({
    departments: z.record(
      z.string().check(z.regex(DEPARTMENT_CODE, 'a department code')),
      DepartmentEntrySchema,
    ),
  });
}
let departmentSecretsSchema: ReturnType<typeof makeDepartmentSecretsSchema> | undefined;

export type DepartmentSecrets = z.output<ReturnType<typeof makeDepartmentSecretsSchema>>;

export interface DepartmentConfig {
  code: string;
  /** Standard Webhooks secrets (`whsec_…`); several during rotation, the first signs. */
  secrets: string[];
  /** Where certflow delivers signed messages; none: the department is not delivered to. */
  endpoint?: string;
  connected: boolean;
  level?: 'PROVINCE' | 'CITY' | 'COUNTY';
  region?: { city?: string; county?: string };
}

/**
 * Parses the document's text; `source` names it in errors. Throws DepartmentSecretsError naming the
 * field (never a secret's value).
 */
export function parseDepartmentSecrets(text: string, source: string): DepartmentSecrets {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new DepartmentSecretsError(`${source}: not JSON`, { cause });
  }
  departmentSecretsSchema ??= makeDepartmentSecretsSchema();
  const parsed = departmentSecretsSchema.safeParse(json);
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ');
    throw new DepartmentSecretsError(`${source}: invalid department secrets at ${where}`);
  }
  return parsed.data;
}

/** The department `code` of the document, or undefined. */
export function departmentOf(document: DepartmentSecrets, code: string): DepartmentConfig | undefined {
  const entry = Object.hasOwn(document.departments, code) ? document.departments[code] : undefined;
  return entry ? { code, ...entry } : undefined;
}

/** The secret's name for a stage (the stateful stack creates it). */
export const departmentSecretsName = (stage: string) => `certflow/${stage}/department-secrets`;
