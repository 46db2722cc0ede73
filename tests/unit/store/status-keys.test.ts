/** The status index's keys (keys.ts) and the counters that replace reading finished requests (counters.ts). */
import { describe, expect, it } from 'vitest';
import { type ComplaintRecord, tallyAccountability } from '#shared/domain/complaint.ts';
import {
  addFinishedItem,
  addStationFinished,
  complaintCounts,
  complaintDelta,
  type FinishedFigures,
  finishedDelta,
  ratingDeltas,
  scoreCounts,
  statusDelta,
} from '#shared/store/counters.ts';
import { complaintIndexKeys } from '#shared/store/dynamo-accountability.ts';
import {
  requestIndexKeys,
  STATUS_SHARDS,
  shardOf,
  statusPartition,
  statusPartitions,
} from '#shared/store/keys.ts';
import type { RequestRecord } from '#shared/store/model.ts';
import {
  certflowTable,
  STATUS_INDEX_ATTRIBUTES,
  toCreateTableInput,
} from '#shared/store/table-definition.ts';

const open = {
  requestId: 'R1',
  status: 'INVESTIGATING',
  station: 'CC-YHL',
  deadline: '2026-11-30T15:59:59.999Z',
  acceptedAt: '2026-11-23T02:00:00.000Z',
  updatedAt: '2026-11-23T02:00:00.000Z',
} as RequestRecord;

describe('status index keys', () => {
  it('an open request sits in its status shard by deadline; a final one has no status-index keys', () => {
    const shard = shardOf('R1', STATUS_SHARDS);
    expect(requestIndexKeys(open)).toMatchObject({
      gsi1pk: `STATUS#INVESTIGATING#${shard}`,
      gsi1sk: '2026-11-30T15:59:59.999Z#R1',
      gsi2pk: 'STATION#CC-YHL',
    });
    const done = { ...open, status: 'ISSUED', finishedAt: '2026-11-25T01:00:00.000Z' } as RequestRecord;
    const k = requestIndexKeys(done);
    expect(k.gsi1pk).toBeUndefined();
    expect(k.gsi1sk).toBeUndefined();
    expect(k).toMatchObject({ gsi2pk: 'STATION_DONE#CC-YHL', gsi2sk: '2026-11-25T01:00:00.000Z#R1' });
    // The attention band sorts first.
    expect(requestIndexKeys({ ...open, recoveries: 1 }).gsi1sk).toBe('!2026-11-23T02:00:00.000Z#R1');
  });

  it('a request keeps its shard through its statuses; shards are spread and fixed in number', () => {
    expect(requestIndexKeys({ ...open, status: 'RECEIVED' } as RequestRecord).gsi1pk).toBe(
      statusPartition('RECEIVED', shardOf('R1', STATUS_SHARDS)),
    );
    expect(statusPartitions('ESCALATED')).toEqual(
      Array.from({ length: STATUS_SHARDS }, (_, i) => `STATUS#ESCALATED#${i}`),
    );
    const counts = new Array<number>(STATUS_SHARDS).fill(0);
    for (let i = 0; i < 8000; i += 1) counts[shardOf(`r_${i.toString(36)}x${i}`, STATUS_SHARDS)]! += 1;
    for (const c of counts) expect(c).toBeGreaterThan(700); // 1000 each if even; no shard starves
  });

  it('the index projects a few non-personal attributes, never ALL', () => {
    const index = toCreateTableInput(certflowTable, 't').GlobalSecondaryIndexes.find(
      (i) => i.IndexName === 'byOpenStatus',
    );
    expect(index?.Projection).toEqual({
      ProjectionType: 'INCLUDE',
      NonKeyAttributes: [...STATUS_INDEX_ATTRIBUTES],
    });
    for (const personal of ['input', 'name', 'idNumber', 'phone', 'text', 'contact'])
      expect(STATUS_INDEX_ATTRIBUTES as readonly string[]).not.toContain(personal);
  });
});

describe('counters of finished requests and ratings', () => {
  const finished = {
    ...open,
    status: 'REFUSED',
    outcome: 'INVESTIGATE',
    onTime: false,
    assignee: 'officer:wang',
    finishedAt: '2026-11-25T01:30:00.000Z',
  } as RequestRecord;

  it('reaching a final status adds the station (all time) and the hour (station, on time, officer)', () => {
    expect(statusDelta(open, finished)).toMatchObject({ 'sf#CC-YHL': 1, 'sl#CC-YHL': 1, 'c#REFUSED': 1 });
    expect(statusDelta(open, { ...open, status: 'ESCALATED' } as RequestRecord)).not.toHaveProperty(
      'sf#CC-YHL',
    );
    const hour = finishedDelta(open, finished)!;
    expect(hour.hour).toBe('2026-11-25T01');
    const figures: FinishedFigures = { stations: {}, officers: {} };
    addFinishedItem(figures, hour.add);
    addFinishedItem(
      figures,
      finishedDelta(undefined, { ...finished, station: undefined, onTime: true })!.add,
    );
    expect(figures).toEqual({
      stations: {
        'CC-YHL': { finished: 1, byOutcome: { INVESTIGATE: 1 }, onTime: 0, late: 1 },
        UNASSIGNED: { finished: 1, byOutcome: { INVESTIGATE: 1 }, onTime: 1, late: 0 },
      },
      officers: { 'CC-YHL': { 'officer:wang': 1 }, UNASSIGNED: { 'officer:wang': 1 } },
    });
    const rows = new Map<string, { finished: number; late: number }>();
    addStationFinished(rows, { pk: 'COUNT#STATUS#0', 'sf#CC-YHL': 3, 'sl#CC-YHL': 1, 'c#ISSUED': 9 });
    addStationFinished(rows, { 'sf#CC-YHL': 2 });
    expect([...rows]).toEqual([['CC-YHL', { finished: 5, late: 1 }]]);
  });

  it('ratings count per station and score, and per officer', () => {
    const deltas = ratingDeltas({ requestId: 'R1', station: 'CC-YHL', officer: 'officer:wang', score: 4 });
    expect(deltas.map((d) => d.add)).toEqual([{ 'r#CC-YHL#4': 1 }, { 'r#4': 1 }]);
    expect(deltas[1]!.key).toEqual({ pk: 'COUNT#RATINGS#OFFICER#officer:wang', sk: 'COUNT' });
    expect(ratingDeltas({ requestId: 'R2', score: 1 }).map((d) => d.add)).toEqual([{ 'r#UNKNOWN#1': 1 }]);
    expect(scoreCounts([{ 'r#CC-YHL#4': 2, 'r#CC-A#1': 1, other: 3 }, { 'r#CC-YHL#4': 1 }])).toEqual([
      { key: 'CC-YHL', score: 4, count: 3 },
      { key: 'CC-A', score: 1, count: 1 },
    ]);
    expect(scoreCounts([{ 'r#5': 2 }])).toEqual([{ score: 5, count: 2 }]);
  });
});

describe('complaint counters and index keys', () => {
  const filed = { complaintId: 'C1', station: 'CC-YHL', status: 'ACCEPTED' };

  it('filing adds one to its station and status; each move takes one off the old and adds to the new', () => {
    const first = complaintDelta(undefined, filed);
    expect(first?.add).toEqual({ 'k#CC-YHL#ACCEPTED': 1 });
    expect(first?.key.pk).toMatch(/^COUNT#COMPLAINTS#[0-3]$/);
    expect(complaintDelta(filed, { ...filed, status: 'UPHELD' })?.add).toEqual({
      'k#CC-YHL#UPHELD': 1,
      'k#CC-YHL#ACCEPTED': -1,
    });
    // A complaint keeps its shard; bookkeeping (same station and status) moves nothing.
    expect(complaintDelta(filed, { ...filed, status: 'UPHELD' })?.key).toEqual(first?.key);
    expect(complaintDelta(filed, { ...filed })).toBeUndefined();
    expect(complaintDelta(undefined, { complaintId: 'C2', status: 'ASSIGNED' })?.add).toEqual({
      'k#UNKNOWN#ASSIGNED': 1,
    });
    expect(complaintDelta(filed, { ...filed, station: 'CC-A' })?.add).toEqual({
      'k#CC-A#ACCEPTED': 1,
      'k#CC-YHL#ACCEPTED': -1,
    });
  });

  it('the counts sum the shards, leave zeros out, and feed the public tally', () => {
    const counts = complaintCounts([
      { pk: 'COUNT#COMPLAINTS#0', 'k#CC-YHL#UPHELD': 2, 'k#CC-YHL#ASSIGNED': 1, other: 5 },
      { 'k#CC-YHL#UPHELD': 1, 'k#CC-YHL#ASSIGNED': -1, 'k#UNKNOWN#NOT_UPHELD': 1 },
    ]);
    expect(counts).toEqual([
      { station: 'CC-YHL', status: 'UPHELD', count: 3 },
      { station: 'UNKNOWN', status: 'NOT_UPHELD', count: 1 },
    ]);
    const rows = tallyAccountability(
      [...counts, { station: 'CC-YHL', status: 'ESCALATED', count: 2 }] as never,
      [],
    );
    expect(rows.map((r) => [r.station, r.complaintsReceived, r.complaintsUpheld, r.complaintsOpen])).toEqual([
      ['CC-YHL', 5, 3, 2],
      ['UNKNOWN', 1, 0, 0],
    ]);
  });

  it('an open complaint sits in the status index; a concluded one in the owner index by finish', () => {
    const complaint = {
      complaintId: 'C1',
      status: 'ASSIGNED',
      acceptedAt: '2026-11-01T01:00:00.000Z',
      updatedAt: '2026-11-02T01:00:00.000Z',
      deadline: '2026-11-20T15:59:59.999Z',
    } as ComplaintRecord;
    expect(complaintIndexKeys(complaint)).toEqual({
      gsi1pk: 'CMPOPEN#ASSIGNED',
      gsi1sk: '2026-11-20T15:59:59.999Z#C1',
    });
    expect(
      complaintIndexKeys({ ...complaint, status: 'UPHELD', finishedAt: '2026-11-05T02:00:00.000Z' }),
    ).toEqual({ gsi2pk: 'CMPDONE#UPHELD', gsi2sk: '2026-11-05T02:00:00.000Z#C1' });
  });
});
