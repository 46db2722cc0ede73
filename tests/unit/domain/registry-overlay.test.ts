/** The registry with recorded changes laid over it (shared/domain/registry-overlay.ts). */
import { describe, expect, it } from 'vitest';
import { answerFromRegistry } from '#shared/domain/exchange.ts';
import { withRecordedChanges } from '#shared/domain/registry-overlay.ts';
import { smallRegistry } from '#tests/helpers/small-registry.ts';

const { registry, id } = smallRegistry(
  { a: { name: '甲一', gender: 'M' }, b: { name: '乙二', gender: 'F' }, c: { name: '丙三', gender: 'M' } },
  (id) => ({ cancellations: [{ idNumber: id.c!, reason: 'EMIGRATION', cancelledOn: '2020-01-01' }] }),
);
const change = (n: number, type: string, who: string, effectiveOn: string, details = {}) => ({
  changeId: `c${n}`,
  type,
  idNumber: who,
  effectiveOn,
  details,
});

describe('withRecordedChanges', () => {
  it('answers as the base when there are no changes, and leaves people without changes alone', () => {
    expect(withRecordedChanges(registry, [])).toBe(registry);
    const overlaid = withRecordedChanges(registry, [change(1, 'DEATH', id.a!, '2026-11-21')]);
    expect(overlaid.person(id.b!)).toEqual(registry.person(id.b!));
    expect(overlaid.cancellation(id.b!)).toBeUndefined();
  });

  it('a death and a hukou cancellation cancel the hukou; a cancellation in the file is kept', () => {
    const overlaid = withRecordedChanges(registry, [
      change(1, 'DEATH', id.a!, '2026-11-21'),
      change(2, 'HUKOU_CANCELLED', id.b!, '2026-11-20', { reason: 'ENLISTMENT' }),
      change(3, 'DEATH', id.c!, '2026-11-22'),
    ]);
    expect(overlaid.cancellation(id.a!)).toEqual({
      idNumber: id.a,
      reason: 'DEATH',
      cancelledOn: '2026-11-21',
    });
    expect(overlaid.cancellation(id.b!)).toMatchObject({ reason: 'ENLISTMENT', cancelledOn: '2026-11-20' });
    expect(overlaid.cancellation(id.c!)).toMatchObject({ reason: 'EMIGRATION', cancelledOn: '2020-01-01' });
    expect(answerFromRegistry(overlaid, 'ALIVE', { idNumber: id.a! }).answer).toMatchObject({
      deathRegistered: true,
      deathRegisteredOn: '2026-11-21',
    });
  });

  it('name and gender changes: the latest decides the current record, the history lists them in order', () => {
    const overlaid = withRecordedChanges(registry, [
      change(2, 'NAME_CHANGED', id.a!, '2026-11-20', { from: '甲壹', to: '甲贰' }),
      change(1, 'NAME_CHANGED', id.a!, '2026-10-01', { from: '甲一', to: '甲壹' }),
      change(3, 'GENDER_CHANGED', id.b!, '2026-11-01', { from: 'F', to: 'M' }),
      change(4, 'MIGRATED', id.c!, '2026-11-01', { toRegion: '北京' }),
    ]);
    expect(overlaid.person(id.a!)?.name).toBe('甲贰');
    expect(overlaid.nameChanges(id.a!).map((c) => c.to)).toEqual(['甲壹', '甲贰']);
    expect(overlaid.person(id.b!)?.gender).toBe('M');
    expect(overlaid.genderChanges(id.b!)).toEqual([
      { idNumber: id.b, from: 'F', to: 'M', changedOn: '2026-11-01' },
    ]);
    expect(overlaid.person(id.c!)).toEqual(registry.person(id.c!));
    expect(
      answerFromRegistry(overlaid, 'NAME_HISTORY', { idNumber: id.a!, name: '甲一' }).answer,
    ).toMatchObject({
      nameMatches: true,
      currentName: '甲贰',
    });
  });
});
