/**
 * Crash tests of the engine on its append-only journal (crash-drill.ts; the child runs the service on the
 * journal file, the workload's tokens table on dynalite). Kill points within the first 3 commits or 30 ms:
 * a resumed run may have few commits left, and a run that ends before its kill point is not a kill. The
 * child compacts its journal from 4 lines on, so kills also land around compactions (before or after the
 * rename of `journal.jsonl.compact`).
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { crashDrill } from './crash-drill.ts';

const journal = join(mkdtempSync(join(tmpdir(), 'sfn-journal-')), 'journal.jsonl');

crashDrill({
  storage: () => ({ kind: 'journal', file: journal }),
  // Compacted at every check from 4 lines on, every 4 lines: the journal is rewritten (on open and
  // online, between commits) many times among the kills.
  childEnv: { JOURNAL_FILE: journal, JOURNAL_COMPACT_LINES: '4' },
  killAfterMax: 3,
  killMsMax: 30,
  minKills: 2,
});

test('the killed runs compacted their journal: at most 4 lines past one line per execution', () => {
  const lines = readFileSync(journal, 'utf8').trimEnd().split('\n');
  const live = new Set(
    lines.map((l) => (JSON.parse(l) as { r?: { executionArn: string } }).r?.executionArn ?? l),
  );
  console.info(`journal: ${lines.length} lines for ${live.size} live entries`);
  // 8 executions, 1 state machine, 1 definition; the last compaction at most 4 lines before the end
  expect(lines.length).toBeLessThanOrEqual(live.size + 4);
  expect(existsSync(`${journal}.compact`)).toBe(false);
});
