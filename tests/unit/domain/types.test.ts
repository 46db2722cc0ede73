import { describe, expect, it } from 'vitest';
import { FINAL_STATUSES, statusForOutcome } from '#shared/domain/request.ts';
import { AVOIDED_OUTCOMES, OUTCOMES } from '#shared/domain/types.ts';

describe('outcomes and statuses', () => {
  it.each([
    ['DECLINED_PROVABLE_BY_HUKOU', 'DECLINED'],
    ['DECLINED_NO_LEGAL_BASIS', 'DECLINED'],
    ['DECLINED_NOT_POLICE_INFORMATION', 'DECLINED'],
    ['DECLINED_APPLICANT_NOT_ENTITLED', 'DECLINED'],
    ['ANSWERED_BY_EXCHANGE', 'ANSWERED_BY_EXCHANGE'],
    ['ISSUE_ON_THE_SPOT', 'ISSUED'],
    ['INVESTIGATE', 'INVESTIGATING'],
  ] as const)('%s → %s', (outcome, status) => {
    expect(statusForOutcome(outcome)).toBe(status);
  });

  it('maps every outcome; only INVESTIGATE leads to a status that is not final', () => {
    for (const o of OUTCOMES) expect(FINAL_STATUSES.includes(statusForOutcome(o))).toBe(o !== 'INVESTIGATE');
  });

  it('counts the three principles, exchange and a commitment as certificates avoided, not rule 4', () => {
    expect([...AVOIDED_OUTCOMES].sort()).toEqual(
      [
        'ANSWERED_BY_EXCHANGE',
        'COMMITMENT_ACCEPTED',
        'DECLINED_NOT_POLICE_INFORMATION',
        'DECLINED_NO_LEGAL_BASIS',
        'DECLINED_PROVABLE_BY_HUKOU',
      ].sort(),
    );
  });
});
