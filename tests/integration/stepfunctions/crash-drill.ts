/**
 * The crash drill of the local Step Functions engine, for each of its stores (crash.test.ts: DynamoDB
 * items; journal-crash.test.ts: the append-only journal): a child process (crash-child.ts) runs the
 * service and is killed (SIGKILL) at random transitions — right after a commit, or at a random moment —
 * then restarted, until every execution has ended. Then: every execution has the output of an
 * uninterrupted run, and a history without gaps or duplicates with the same events.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import {
  createStepFunctions,
  type StepFunctionsEngine,
  type StorageOptions,
} from '#local/stepfunctions/index.ts';
import { systemClock } from '#shared/clock.ts';
import { type Dynalite, startDynalite } from './dynalite.ts';
import { approvePending, crashDefinition, crashFunctions, createTokensTable } from './workload.ts';

const EXECUTIONS = 8;
const MAX_KILLS = 8;
const CHILD = fileURLToPath(new URL('./crash-child.ts', import.meta.url));

export interface CrashDrillOptions {
  /** The store the killed service used, reopened for the checks. */
  readonly storage: (db: Dynalite) => StorageOptions;
  /** Further environment of the child (crash-child.ts: JOURNAL_FILE for the journal). */
  readonly childEnv?: Record<string, string>;
  /** Kill right after commit 1..killAfterMax, or after 1..killMsMax ms (alternating). */
  readonly killAfterMax: number;
  readonly killMsMax: number;
  /** At least this many runs must have been killed. */
  readonly minKills: number;
}

/** Registers the drill as this file's test (with its dynalite for the workload's tokens table). */
export function crashDrill(options: CrashDrillOptions): void {
  let db: Dynalite;
  beforeAll(async () => {
    db = await startDynalite();
  });
  afterAll(async () => {
    await db?.stop();
  });

  test('killed at random transitions and restarted, every execution ends as an uninterrupted run', async () => {
    const expected = await uninterrupted(db, EXECUTIONS);
    for (const o of expected.values()) expect(o.status).toBe('SUCCEEDED');

    let kills = 0;
    let done = false;
    const log: string[] = [];
    for (let attempt = 0; attempt < MAX_KILLS + 3 && !done; attempt++) {
      const env: Record<string, string> = {
        DYNAMO_ENDPOINT: db.endpoint,
        EXECUTIONS: String(EXECUTIONS),
        ...options.childEnv,
      };
      if (attempt < MAX_KILLS) {
        // right after the n-th commit (1..killAfterMax), or at a random moment of the first killMsMax ms
        if (attempt % 2 === 0) env.KILL_AFTER = String(1 + Math.floor(Math.random() * options.killAfterMax));
        else env.KILL_MS = String(1 + Math.floor(Math.random() * options.killMsMax));
      }
      const r = await runChild(CHILD, env);
      const lines = r.out.split('\n').filter((l) => /^(RESUMED|DONE)|Error/.test(l));
      log.push(
        `attempt ${attempt}: ${env.KILL_AFTER ? `kill after commit ${env.KILL_AFTER}` : env.KILL_MS ? `kill after ${env.KILL_MS} ms` : 'no kill'} → ${r.signal ?? r.code} ${lines.join(' | ')}`,
      );
      if (r.signal === 'SIGKILL') kills++;
      else if (r.code === 0 && r.out.includes('DONE')) done = true;
      else throw new Error(`child failed:\n${log.join('\n')}`);
    }
    console.info(log.join('\n'));
    expect(done, log.join('\n')).toBe(true);
    expect(kills, log.join('\n')).toBeGreaterThanOrEqual(options.minKills);

    const engine = await createStepFunctions({
      storage: options.storage(db),
      clock: systemClock,
      functions: () => undefined,
    });
    try {
      const smArn = 'arn:aws:states:us-east-1:123456789012:stateMachine:crash';
      const actual = await outcomes(engine, smArn, EXECUTIONS);
      for (const [name, want] of expected) {
        const got = actual.get(name)!;
        expect(got.status, `${name}\n${log.join('\n')}`).toBe('SUCCEEDED');
        expect(got.output, name).toEqual(want.output);
        expect(got.ids, `${name}: event ids without gaps or duplicates`).toEqual(
          got.ids.map((_, i) => i + 1),
        );
        // The same events as an uninterrupted run — except one documented edge: when the process died after
        // the callback function had stored its token but before its return was recorded, the function runs
        // again (at-least-once) and the callback may now arrive before that second return: the task then
        // ends without a TaskSubmitted event.
        const count = (types: string[]) => {
          const m: Record<string, number> = {};
          for (const t of types) if (t !== 'TaskSubmitted') m[t] = (m[t] ?? 0) + 1;
          return m;
        };
        expect(
          count(got.types),
          `${name}: the same events as an uninterrupted run\n${log.join('\n')}`,
        ).toEqual(count(want.types));
        const submitted = (types: string[]) => types.filter((t) => t === 'TaskSubmitted').length;
        expect(submitted(got.types)).toBeLessThanOrEqual(submitted(want.types));
      }
    } finally {
      await engine.close();
    }
  }, 120_000);
}

function runChild(
  child: string,
  env: Record<string, string>,
): Promise<{ code: number | null; signal: string | null; out: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', child], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    p.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const guard = setTimeout(() => p.kill('SIGKILL'), 40_000);
    p.on('error', reject);
    p.on('exit', (code, signal) => {
      clearTimeout(guard);
      resolve({ code, signal, out });
    });
  });
}

interface Outcome {
  status: string;
  output: unknown;
  types: string[];
  ids: number[];
}

async function outcomes(
  engine: StepFunctionsEngine,
  smArn: string,
  executions: number,
): Promise<Map<string, Outcome>> {
  const out = new Map<string, Outcome>();
  for (let i = 1; i <= executions; i++) {
    const executionArn = `${smArn.replace(':stateMachine:', ':execution:')}:e${i}`;
    const d = await engine.describeExecution({ executionArn });
    const h = await engine.getExecutionHistory({ executionArn, maxResults: 1000 });
    out.set(`e${i}`, {
      status: d.status,
      output: d.output ? JSON.parse(d.output) : undefined,
      types: h.events.map((e) => e.type as string).sort(),
      ids: h.events.map((e) => e.id as number),
    });
  }
  return out;
}

async function uninterrupted(db: Dynalite, executions: number): Promise<Map<string, Outcome>> {
  const client = db.client();
  await createTokensTable(client);
  const functions = crashFunctions(client);
  const engine = await createStepFunctions({
    storage: { kind: 'memory' },
    clock: systemClock,
    functions: (n) => functions[n],
  });
  try {
    const { stateMachineArn } = await engine.createStateMachine({
      name: 'crash',
      definition: crashDefinition,
    });
    const arns: string[] = [];
    for (let i = 1; i <= executions; i++)
      arns.push(
        (await engine.startExecution({ stateMachineArn, name: `e${i}`, input: JSON.stringify({ n: i }) }))
          .executionArn,
      );
    for (let i = 0; i < 2000; i++) {
      await approvePending(client, (taskToken, output) => engine.sendTaskSuccess({ taskToken, output }));
      const d = await Promise.all(arns.map((executionArn) => engine.describeExecution({ executionArn })));
      if (d.every((x) => x.status !== 'RUNNING')) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    return await outcomes(engine, stateMachineArn, executions);
  } finally {
    await engine.close();
  }
}
