/**
 * Crash-test child: runs the service on dynalite (or on the journal at JOURNAL_FILE when set, compacted
 * at every check from JOURNAL_COMPACT_LINES lines on when set), starts the
 * workload (idempotently), approves callbacks, and dies by SIGKILL after KILL_AFTER commits or KILL_MS
 * milliseconds. Prints DONE when every execution has ended. Run by crash-drill.ts with `node --import tsx`.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ExecutionAlreadyExists, startStepFunctionsService } from '#local/stepfunctions/index.ts';
import { systemClock } from '#shared/clock.ts';
import { approvePending, crashDefinition, crashFunctions, createTokensTable } from './workload.ts';

const endpoint = process.env.DYNAMO_ENDPOINT!;
const count = Number(process.env.EXECUTIONS ?? '6');
const killAfter = Number(process.env.KILL_AFTER ?? '0');
const killMs = Number(process.env.KILL_MS ?? '0');

const db = new DynamoDBClient({
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
let commits = 0;
const die = () => process.kill(process.pid, 'SIGKILL');

await createTokensTable(db);
const functions = crashFunctions(db);
const service = await startStepFunctionsService({
  port: 0,
  storage: process.env.JOURNAL_FILE
    ? {
        kind: 'journal',
        file: process.env.JOURNAL_FILE,
        // a few lines: the journal is compacted on open and online, among the kills
        ...(process.env.JOURNAL_COMPACT_LINES
          ? { compactMinLines: Number(process.env.JOURNAL_COMPACT_LINES), compactRatio: 0 }
          : {}),
      }
    : { kind: 'dynamodb', client: db, tableName: 'crash-sfn' },
  clock: systemClock,
  functions: (name) => functions[name],
  onCommit: () => {
    if (killAfter > 0 && ++commits === killAfter) die();
  },
});
const engine = service.service;
if (killMs > 0) setTimeout(die, killMs);
process.stdout.write(`RESUMED ${service.resumed}\n`);
const { stateMachineArn } = await engine.createStateMachine({ name: 'crash', definition: crashDefinition });
const arns: string[] = [];
for (let i = 1; i <= count; i++) {
  const name = `e${i}`;
  arns.push(`${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`);
  try {
    await engine.startExecution({ stateMachineArn, name, input: JSON.stringify({ n: i }) });
  } catch (error) {
    if (!(error instanceof ExecutionAlreadyExists)) throw error;
  }
}
for (;;) {
  await approvePending(db, (taskToken, output) => engine.sendTaskSuccess({ taskToken, output }));
  const statuses = await Promise.all(arns.map((executionArn) => engine.describeExecution({ executionArn })));
  if (statuses.every((d) => d.status !== 'RUNNING')) break;
  await new Promise((r) => setTimeout(r, 10));
}
process.stdout.write('DONE\n');
await service.end();
db.destroy();
process.exit(0);
