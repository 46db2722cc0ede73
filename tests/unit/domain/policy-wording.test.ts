/**
 * Issue 9 item 6: the investigation deadline, the supervisors and the names of bodies and purposes live in
 * the policy file only. A policy whose one file says another figure gives other deadlines and texts, and
 * no page, alarm or handler repeats the figure.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { demoPeople as P } from '#local/demo/demo-people.ts';
import { checkRules } from '#shared/domain/rules.ts';
import { bundledPolicyChanges, bundledPolicyFile } from '#shared/policy/bundled.ts';
import { catalogueView } from '#shared/policy/catalogue.ts';
import { derivePolicy, jilin2016Policy, parsePolicy, supervisorAt } from '#shared/policy/policy.ts';
import { demoRegistryPath, type InMemoryRegistry, loadRegistryFile } from '#shared/registry/registry.ts';
import { request } from '#tests/helpers/domain-requests.ts';

let registry: InMemoryRegistry;
beforeAll(async () => {
  registry = await loadRegistryFile(demoRegistryPath);
});

/**
 * jilin-2016 as if its one `service.investigationWorkingDays` line (jilin-2016/policy.json) said 7, and
 * 2021 derived from it.
 */
const jilin2016 = bundledPolicyFile('jilin-2016');
const seven2016 = parsePolicy({
  ...jilin2016,
  service: { ...jilin2016.service, investigationWorkingDays: 7 },
});
const seven2021 = derivePolicy(seven2016, bundledPolicyChanges('jilin-2021'));

describe('the deadline is a one-file change', () => {
  it('gives the catalogue, the deadline and the guidance of another figure', () => {
    // Prepare: a request that needs an investigation, accepted on Friday 2026-11-27.
    const acceptedAt = new Date('2026-11-27T10:00:00+08:00');
    const decide = (policy: typeof seven2016) =>
      checkRules(
        request(
          {
            proof: 'KINSHIP',
            subject: P.zhaoLei,
            related: { ...P.zhaoMin, relation: 'SISTER' },
            applicantPerson: P.zhaoMin,
            askedBy: 'COURT',
            purpose: 'LITIGATION',
          },
          policy,
        ),
        {
          policy,
          registry,
          acceptedAt,
        },
      );
    // Act
    const five = decide(jilin2016Policy);
    const seven = decide(seven2016);
    // Assert: 5 working days end on Fri 4 Dec, 7 on Tue 8 Dec; the texts say so; the catalogue tells the pages.
    expect(five.outcome).toBe('INVESTIGATE');
    expect(seven.outcome).toBe('INVESTIGATE');
    expect(five.investigation?.workingDays).toBe(5);
    expect(seven.investigation?.workingDays).toBe(7);
    expect(five.investigation?.deadline).toBe('2026-12-04T15:59:59.999Z');
    expect(seven.investigation?.deadline).toBe('2026-12-08T15:59:59.999Z');
    expect(seven.guidance.en).toContain('within 7 working days');
    expect(seven.guidance.en).not.toContain('within 5 working days');
    expect(catalogueView(seven2016).service.investigationWorkingDays).toBe(7);
    expect(catalogueView(seven2021).service.investigationWorkingDays).toBe(7);
  });

  it('names the supervisor of each escalation level from the policy', () => {
    expect(supervisorAt(jilin2016Policy, 1)).toBe('county bureau (县级公安机关)');
    expect(supervisorAt(jilin2016Policy, 3)).toBe('provincial department (省公安厅)');
    expect(supervisorAt(jilin2016Policy, 9)).toBe('provincial department (省公安厅)');
    const other = parsePolicy({ ...jilin2016, supervisors: [{ zh: '市局', en: 'city bureau' }] });
    expect(supervisorAt(other, 2)).toBe('city bureau (市局)');
  });

  it('has no page, alarm or handler that repeats the figure or the policy names', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
      });
    const figure = /\d+\s*(个)?工作日|\d+[- ]working[- ]day/;
    const offenders = ['web/src', 'infra', 'functions']
      .flatMap(files)
      .filter((f) => figure.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
    // Body and purpose names are the policy's: the web keeps no table of them.
    const labels = readFileSync('web/src/lib/labels.ts', 'utf8');
    expect(labels).not.toMatch(/export const (BODIES|PURPOSES)\b/);
    // (OTHER is also a relation code.)
    for (const { code } of [...jilin2016.bodies, ...jilin2016.purposes].filter((x) => x.code !== 'OTHER')) {
      expect(labels).not.toContain(`${code}: {`);
    }
  });
});
