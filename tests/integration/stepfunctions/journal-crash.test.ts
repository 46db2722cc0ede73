/**
 * Crash tests of the engine on its append-only journal (crash-drill.ts; the child runs the service on the
 * journal file, the workload's tokens table on dynalite). Kill points within the first 3 commits or 30 ms:
 * a resumed run may have few commits left, and a run that ends before its kill point is not a kill.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crashDrill } from './crash-drill.ts';

const journal = join(mkdtempSync(join(tmpdir(), 'sfn-journal-')), 'journal.jsonl');

crashDrill({
  storage: () => ({ kind: 'journal', file: journal }),
  childEnv: { JOURNAL_FILE: journal },
  killAfterMax: 3,
  killMsMax: 30,
  minKills: 2,
});
