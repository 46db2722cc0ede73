/**
 * The complaint domain (shared/domain/complaint.ts) and the accountability policy data: forward-only
 * statuses, who supervises at each level, the deadlines on the working-day calendar, masking, which upheld
 * finding makes which accountability record, and the public tally.
 */
import { describe, expect, it } from 'vitest';
import { defaultCalendar } from '#shared/domain/calendar.ts';
import {
  accountabilityRecordFor,
  assignmentAt,
  type ComplaintRecord,
  complaintDeadline,
  complaintView,
  isComplaintForward,
  maskPhone,
  opensReview,
  tallyAccountability,
} from '#shared/domain/complaint.ts';
import { accountabilityPolicy, parseAccountabilityPolicy } from '#shared/policy/accountability.ts';
import { defaultPolicy } from '#shared/policy/policy.ts';

const complaint = (over: Partial<ComplaintRecord> = {}): ComplaintRecord => ({
  complaintId: 'C1',
  kind: 'FAVOURS_ASKED',
  status: 'ASSIGNED',
  version: 2,
  text: '<b>x</b>',
  station: 'CC-YHL',
  contact: { name: '黄小雨', phone: '13812345678' },
  accessTokenHash: 'h',
  acceptedAt: '2026-11-23T02:00:00.000Z',
  updatedAt: '2026-11-23T02:00:00.000Z',
  history: [
    {
      at: '2026-11-23T02:00:00.000Z',
      type: 'FINDING_RECEIVED',
      actor: 'supervisor:a',
      detail: { by: 'supervisor:a', outcome: 'UPHELD' },
    },
  ],
  ...over,
});

describe('complaint statuses', () => {
  it('move forward only; a final status never moves', () => {
    expect(isComplaintForward('ACCEPTED', 'ASSIGNED')).toBe(true);
    expect(isComplaintForward('ESCALATED', 'ASSIGNED')).toBe(false);
    expect(isComplaintForward('ESCALATED', 'UPHELD')).toBe(true);
    expect(isComplaintForward('UPHELD', 'NOT_UPHELD')).toBe(false);
    expect(isComplaintForward('NOT_UPHELD', 'NOT_UPHELD')).toBe(true);
  });
});

describe('assignment and deadlines', () => {
  it('level 1 is the county bureau of the station, 2 the city bureau, 3 and above the province', () => {
    const place = { county: '朝阳区', city: '长春市' };
    expect(assignmentAt(defaultPolicy.supervisors, 1, place).unit).toEqual({
      zh: '朝阳区县级公安机关',
      en: 'county bureau of 朝阳区',
    });
    expect(assignmentAt(defaultPolicy.supervisors, 2, place).unit.zh).toBe('长春市市级公安机关');
    expect(assignmentAt(defaultPolicy.supervisors, 5, place)).toEqual({
      level: 5,
      unit: { zh: '省公安厅', en: 'provincial department' },
    });
    // Without a station: the level's name alone.
    expect(assignmentAt(defaultPolicy.supervisors, 1, {}).unit.zh).toBe('县级公安机关');
  });

  it('counts working days: across Mid-Autumn and National Day 2026, and the make-up Saturday', () => {
    const first = complaintDeadline(accountabilityPolicy, defaultCalendar, {
      acceptedAt: '2026-09-24T02:00:00.000Z',
    });
    expect(first).toEqual({ deadline: '2026-10-09T15:59:59.999Z', provisional: false });
    const next = complaintDeadline(accountabilityPolicy, defaultCalendar, { missedDeadline: first.deadline });
    expect(next.deadline).toBe('2026-10-13T15:59:59.999Z');
  });
});

describe('views', () => {
  it('masks the contact for all but the supervisor, and keeps staff names from the public', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('0431-1234567')).toBe('043*****4567');
    expect(maskPhone('123')).toBe('***');
    const own = complaintView(complaint());
    expect(own.contact).toEqual({ name: '黄*雨', phone: '138****5678' });
    expect(own.text).toBe('<b>x</b>');
    expect(JSON.stringify(own.history)).not.toContain('supervisor:a');
    const supervisor = complaintView(complaint(), { full: true, staff: true });
    expect(supervisor.contact.phone).toBe('13812345678');
    expect(JSON.stringify(supervisor.history)).toContain('supervisor:a');
  });
});

describe('accountability records', () => {
  const finding = {
    outcome: 'UPHELD' as const,
    note: '属实',
    by: 'supervisor:a',
    at: '2026-11-24T02:00:00.000Z',
  };

  it('an upheld complaint about an officer is a record on the officer the finding names, else the complaint’s', () => {
    expect(
      accountabilityRecordFor(accountabilityPolicy, complaint({ officer: '王' }), finding),
    ).toMatchObject({
      subject: 'OFFICER',
      officer: '王',
      station: 'CC-YHL',
    });
    expect(
      accountabilityRecordFor(accountabilityPolicy, complaint({ officer: '王' }), {
        ...finding,
        officer: '李',
      })?.officer,
    ).toBe('李');
    expect(accountabilityRecordFor(accountabilityPolicy, complaint(), finding)).toBeUndefined();
    expect(
      accountabilityRecordFor(accountabilityPolicy, complaint({ officer: '王' }), {
        ...finding,
        outcome: 'NOT_UPHELD',
      }),
    ).toBeUndefined();
  });

  it('an upheld abolished demand is a record on the body', () => {
    const c = complaint({
      kind: 'ABOLISHED_DEMAND',
      body: 'EMPLOYER',
      certificateKind: 'KINSHIP',
      officer: '王',
    });
    expect(accountabilityRecordFor(accountabilityPolicy, c, finding)).toMatchObject({
      subject: 'BODY',
      body: 'EMPLOYER',
    });
  });
});

describe('ratings and the public tally', () => {
  it('a score at or below the threshold opens a review', () => {
    expect(opensReview(accountabilityPolicy, 2)).toBe(true);
    expect(opensReview(accountabilityPolicy, 3)).toBe(false);
  });

  it('tallies per station, UNKNOWN for none, averages to 2 decimals', () => {
    const rows = tallyAccountability(
      [{ station: 'A', status: 'UPHELD' }, { station: 'A', status: 'ASSIGNED' }, { status: 'NOT_UPHELD' }],
      [
        { station: 'A', score: 5 },
        { station: 'A', score: 4 },
        { station: 'A', score: 4 },
      ],
    );
    expect(rows).toEqual([
      {
        station: 'A',
        complaintsReceived: 2,
        complaintsUpheld: 1,
        complaintsOpen: 1,
        ratings: 3,
        ratingAverage: 4.33,
      },
      {
        station: 'UNKNOWN',
        complaintsReceived: 1,
        complaintsUpheld: 0,
        complaintsOpen: 0,
        ratings: 0,
        ratingAverage: null,
      },
    ]);
  });
});

describe('accountability policy data', () => {
  it('names every kind and rejects a bad file naming the field', () => {
    expect(accountabilityPolicy.kinds.map((k) => k.code).sort()).toEqual([
      'ABOLISHED_DEMAND',
      'DEADLINE_MISSED',
      'DUE_CERTIFICATE_REFUSED',
      'FAVOURS_ASKED',
      'OBSTRUCTION',
    ]);
    expect(accountabilityPolicy.source.en).toContain("certflow's default");
    expect(() =>
      parseAccountabilityPolicy({
        ...accountabilityPolicy,
        complaint: { ...accountabilityPolicy.complaint, findingWorkingDays: 0 },
      }),
    ).toThrow(/findingWorkingDays/);
  });
});
