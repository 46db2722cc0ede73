/**
 * The one-off migration of a table written before issue 18's bounded reads (`npm run admin -- reindex`;
 * the local stack runs it when it opens an older data directory). Before, the status index kept every
 * request under an unsharded `STATUS#{status}` (final ones too) and every rating under `RATINGS`. This:
 *
 * - moves each open request's entry to its shard (`SET gsi1pk = STATUS#{status}#{n}`, keys.ts);
 * - takes each final request out of the index (`REMOVE gsi1pk, gsi1sk`) and adds it to the counters
 *   that did not exist before (counters.ts: all-time `sf#`/`sl#` per station on its status shard, and the
 *   hourly `st#`/`sl#`/`a#` of its finish hour);
 * - takes each rating out of the index and adds it to the rating counters;
 * - moves each complaint out of its legacy `CMPSTATUS#{status}` partition (where every complaint sat, final
 *   ones too): an open one to `CMPOPEN#{status}`, a concluded one out of the status index into the owner
 *   index (`CMPDONE#{status}`, by finish) — and counts each in the complaint counters (counters.ts
 *   `complaintDelta`, which did not exist before).
 *
 * Every change is one conditional UpdateItem on the legacy key (`gsi1pk = :legacy`), and the counters
 * move only after it succeeded: a re-run, or a second operator at once, never counts twice (a crash
 * between the two loses that one count, as every counter write). It reads the legacy partitions page by
 * page (200 entries) through the status index, whatever its projection, and never Scans.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { COMPLAINT_STATUSES, type ComplaintRecord, isComplaintFinal } from '#shared/domain/complaint.ts';
import { isFinal, REQUEST_STATUSES, type RequestStatus } from '#shared/domain/request.ts';
import { addExpression, complaintDelta, counterKeys, counterShard, ratingDeltas } from './counters.ts';
import { complaintIndexKeys } from './dynamo-accountability.ts';
import { isConditionalCheckFailed } from './errors.ts';
import {
  complaintDonePartition,
  legacyComplaintStatusPartition,
  legacyStatusPartition,
  RATINGS_PARTITION,
  STATUS_SHARDS,
  shardOf,
  statusPartition,
} from './keys.ts';
import { TableAccess } from './table-access.ts';
import { STATUS_INDEX } from './table-definition.ts';

export interface ReindexReport {
  /** Open requests moved to their shard. */
  moved: number;
  /** Final requests taken out of the index (and counted). */
  removed: number;
  /** Ratings taken out of the index (and counted). */
  ratings: number;
  /** Complaints moved out of their legacy partition (and counted): open ones to `CMPOPEN#`, concluded ones out. */
  complaints: number;
}

/** The station / hour counters a final request adds that the counters before issue 18 did not have. */
function newFinishedCounters(item: Record<string, unknown>) {
  const out: { key: { pk: string; sk: string }; add: Record<string, number> }[] = [];
  const station = typeof item.station === 'string' ? item.station : undefined;
  const requestId = String(item.requestId);
  if (station) {
    const add: Record<string, number> = { [`sf#${station}`]: 1 };
    if (item.onTime === false) add[`sl#${station}`] = 1;
    out.push({ key: counterKeys.status(counterShard(requestId)), add });
  }
  const at = typeof item.finishedAt === 'string' ? item.finishedAt : '';
  if (/^\d{4}-\d{2}-\d{2}T\d{2}/.test(at)) {
    const code = station ?? 'UNASSIGNED';
    const add: Record<string, number> = {};
    if (item.onTime === true) add[`st#${code}`] = 1;
    if (item.onTime === false) add[`sl#${code}`] = 1;
    if (typeof item.assignee === 'string' && item.assignee) add[`a#${code}#${item.assignee}`] = 1;
    if (Object.keys(add).length > 0) out.push({ key: counterKeys.finished(at.slice(0, 13)), add });
  }
  return out;
}

/** Migrates the table `tableName` (see the file's comment); safe to run again, and while it serves. */
export async function reindexStatusIndex(
  client: DynamoDBClient | DynamoDBDocumentClient,
  tableName: string,
): Promise<ReindexReport> {
  const t = new TableAccess(client, tableName);
  const report: ReindexReport = { moved: 0, removed: 0, ratings: 0, complaints: 0 };

  const add = async (updates: { key: { pk: string; sk: string }; add: Record<string, number> }[]) => {
    for (const u of updates)
      await t.send('reindex', () =>
        t.doc.send(new UpdateCommand({ TableName: tableName, Key: u.key, ...addExpression(u.add) })),
      );
  };
  /** One conditional update on the legacy key; the item before it, or undefined if it had moved. */
  const update = async (
    key: Record<string, unknown>,
    legacy: string,
    expression: string,
    values: Record<string, unknown> = {},
  ): Promise<Record<string, unknown> | undefined> => {
    try {
      const out = await t.doc.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { pk: key.pk, sk: key.sk },
          UpdateExpression: expression,
          ConditionExpression: 'gsi1pk = :legacy',
          ExpressionAttributeValues: { ':legacy': legacy, ...values },
          ReturnValues: 'ALL_OLD',
        }),
      );
      return out.Attributes;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return undefined;
      throw error;
    }
  };
  /** Each entry of a legacy partition, page by page (a moved entry leaves it, so always the first page). */
  const drain = async (partition: string, each: (entry: Record<string, unknown>) => Promise<void>) => {
    for (;;) {
      const out = await t.send('reindex', () =>
        t.doc.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: STATUS_INDEX,
            KeyConditionExpression: 'gsi1pk = :p',
            ExpressionAttributeValues: { ':p': partition },
            Limit: 200,
          }),
        ),
      );
      const items = out.Items ?? [];
      // Until a read finds it empty: each entry leaves the partition (updated, or its condition failed
      // because it had left already; on AWS the index may show it once more, and the condition holds).
      if (items.length === 0) return;
      for (const entry of items) await each(entry);
    }
  };

  for (const status of REQUEST_STATUSES as readonly RequestStatus[]) {
    const legacy = legacyStatusPartition(status);
    await drain(legacy, async (entry) => {
      if (isFinal(status)) {
        const before = await update(entry, legacy, 'REMOVE gsi1pk, gsi1sk');
        if (before) {
          report.removed += 1;
          await add(newFinishedCounters(before));
        }
      } else {
        const shard = shardOf(String(entry.requestId), STATUS_SHARDS);
        const before = await update(entry, legacy, 'SET gsi1pk = :p', {
          ':p': statusPartition(status, shard),
        });
        if (before) report.moved += 1;
      }
    });
  }
  await drain(RATINGS_PARTITION, async (entry) => {
    const before = await update(entry, RATINGS_PARTITION, 'REMOVE gsi1pk, gsi1sk');
    if (before && typeof before.score === 'number') {
      report.ratings += 1;
      await add(
        ratingDeltas({
          requestId: String(before.requestId),
          score: before.score,
          ...(typeof before.station === 'string' ? { station: before.station } : {}),
          ...(typeof before.officer === 'string' ? { officer: before.officer } : {}),
        }),
      );
    }
  });
  for (const status of COMPLAINT_STATUSES) {
    const legacy = legacyComplaintStatusPartition(status);
    await drain(legacy, async (entry) => {
      // One conditional update each, the new keys from the index entry: an open one's from its projected
      // deadline / acceptedAt; a concluded one's legacy sort key was already `{finishedAt or updatedAt}#{id}`.
      const before = isComplaintFinal(status)
        ? await update(entry, legacy, 'SET gsi2pk = :p, gsi2sk = :s REMOVE gsi1pk, gsi1sk', {
            ':p': complaintDonePartition(status),
            ':s': entry.gsi1sk,
          })
        : await update(entry, legacy, 'SET gsi1pk = :p, gsi1sk = :s', indexValues(entry));
      if (!before) return;
      report.complaints += 1;
      const complaint = before as unknown as ComplaintRecord;
      const delta = complaintDelta(undefined, complaint);
      if (delta) await add([delta]);
    });
  }
  return report;
}

/** `:p`/`:s`: an open complaint's status-index keys (dynamo-accountability.ts) from its index entry. */
function indexValues(entry: Record<string, unknown>): Record<string, unknown> {
  const k = complaintIndexKeys(entry as unknown as ComplaintRecord);
  return { ':p': k.gsi1pk, ':s': k.gsi1sk };
}
