/**
 * The table grants cover what the store does: every DynamoDB command shared/store sends maps to an action
 * that `readWrite` grants, and the reads map to what `read` grants. (A store that started to Scan or to
 * use transactions would fail here before it failed on AWS with AccessDenied.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type FunctionSpec, functions } from '#functions/function-list.ts';
import { repoRoot } from '#infra/bundling.ts';
import { leadingKeysCondition, tableActions } from '#infra/constructs/permissions.ts';

const commandAction: Record<string, string> = {
  GetCommand: 'dynamodb:GetItem',
  GetItemCommand: 'dynamodb:GetItem',
  BatchGetCommand: 'dynamodb:BatchGetItem',
  BatchGetItemCommand: 'dynamodb:BatchGetItem',
  QueryCommand: 'dynamodb:Query',
  ScanCommand: 'dynamodb:Scan',
  PutCommand: 'dynamodb:PutItem',
  PutItemCommand: 'dynamodb:PutItem',
  UpdateCommand: 'dynamodb:UpdateItem',
  UpdateItemCommand: 'dynamodb:UpdateItem',
  DeleteCommand: 'dynamodb:DeleteItem',
  DeleteItemCommand: 'dynamodb:DeleteItem',
  BatchWriteCommand: 'dynamodb:BatchWriteItem',
  BatchWriteItemCommand: 'dynamodb:BatchWriteItem',
  TransactWriteCommand: 'dynamodb:TransactWriteItems',
  TransactGetCommand: 'dynamodb:TransactGetItems',
};

/** `new XCommand(` in the store's sources (the only code that talks to DynamoDB). */
function storeCommands(): string[] {
  const dir = join(repoRoot, 'shared/store');
  const names = new Set<string>();
  // plain-document.ts only translates the adapters' commands (PutCommand → PutItemCommand, …): it sends
  // nothing of its own, so the actions are the adapters'.
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'plain-document.ts')) {
    const code = readFileSync(join(dir, file), 'utf8');
    for (const m of code.matchAll(/new\s+([A-Za-z]+Command)\s*\(/g)) names.add(m[1] as string);
  }
  return [...names].sort();
}

describe('table grants and the store', () => {
  it('finds the commands the store sends', () => {
    expect(storeCommands()).toEqual(expect.arrayContaining(['GetCommand', 'PutCommand', 'QueryCommand']));
  });

  it('readWrite grants every action the store uses, and read grants its reads', () => {
    const used = storeCommands().map((c) => commandAction[c] ?? `unknown ${c}`);
    const writes = [
      ...tableActions.readWrite,
      'dynamodb:DeleteItem',
      'dynamodb:BatchWriteItem',
    ] as readonly string[];
    expect(used.filter((a) => !writes.includes(a))).toEqual([]);
    // DeleteItem is only the webhook de-dup release; the other write paths need no delete.
    expect(tableActions.readWrite).not.toContain('dynamodb:DeleteItem');
    expect(tableActions.readWrite).not.toContain('dynamodb:BatchWriteItem');
    expect(
      (functions as readonly FunctionSpec[]).filter((f) => f.access.batchWrites).map((f) => f.name),
    ).toEqual(['Intake', 'RegistryChanges']);
    const reads = used.filter((a) =>
      ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:Scan'].includes(a),
    );
    expect(reads.filter((a) => !(tableActions.read as readonly string[]).includes(a))).toEqual([]);
  });

  it('never grants Scan', () => {
    expect(tableActions.read).not.toContain('dynamodb:Scan');
    expect(tableActions.readWrite).not.toContain('dynamodb:Scan');
  });
});

/** The functions/ sources a handler imports, transitively (relative and `#functions/` imports). */
function handlerSources(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(join(repoRoot, file), 'utf8');
    for (const m of code.matchAll(/from\s+'([^']+)'|import\('([^']+)'\)/g)) {
      const spec = (m[1] ?? m[2]) as string;
      if (spec.startsWith('#functions/')) visit(spec.replace('#functions/', 'functions/'));
      else if (spec.startsWith('.')) visit(join(dirname(file), spec));
    }
  };
  visit(entry);
  return [...seen];
}

describe('registry access', () => {
  it('every handler that reads the population registry says so (only those bundles carry it)', () => {
    for (const spec of functions as readonly FunctionSpec[]) {
      const reads = handlerSources(spec.entry).some((f) =>
        readFileSync(join(repoRoot, f), 'utf8').includes('.registry()'),
      );
      expect(reads, spec.name).toBe(spec.access.registry === true);
    }
  });
});

describe('dynamodb:LeadingKeys (access.keys)', () => {
  const listed = (functions as readonly FunctionSpec[]).filter((f) => f.access.keys);

  it('lists key prefixes for the public and citizen routes, each a known partition-key prefix', () => {
    const names = listed.map((f) => f.name);
    for (const name of [
      'Intake',
      'GetRequest',
      'VerifyCertificate',
      'MetricsSummary',
      'CitizenSignIn',
      'CitizenData',
      'FileComplaint',
      'AbolishedDemands',
      'RateRequest',
      'TransparencyAccountability',
    ])
      expect(names).toContain(name);
    // Every pattern names a prefix of shared/store/keys.ts' table (or counters.ts): no typo passes.
    const documented = readFileSync(join(repoRoot, 'shared/store/keys.ts'), 'utf8');
    for (const f of listed)
      for (const pattern of f.access.keys ?? []) {
        expect(pattern, f.name).toMatch(/^[A-Z_]+(#\*)?$/);
        expect(documented.includes(`\`${pattern.replace('*', '')}`), `${f.name} ${pattern}`).toBe(true);
      }
  });

  it('turns each list into a ForAllValues:StringLike condition, and refuses an empty one', () => {
    expect(leadingKeysCondition(['CERT#*'])).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['CERT#*'] },
    });
    expect(() => leadingKeysCondition([])).toThrow(RangeError);
  });
});
