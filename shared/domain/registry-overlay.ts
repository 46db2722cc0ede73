/**
 * The registry as it stands after the changes the population registry reported through its change feed
 * (POST /v1/registry/changes): the static registry file with the recorded changes laid over it. Pure: the
 * caller reads the changes (ExchangeFeedStore.changesOf) and passes them in.
 *
 * What a change changes (by `type`, shared/domain/periodic-exchange.ts REGISTRY_CHANGE_TYPES):
 *  - DEATH: the hukou is cancelled for death on `effectiveOn` (ALIVE answers `deathRegistered`).
 *  - HUKOU_CANCELLED: the hukou is cancelled on `effectiveOn` for `details.reason`.
 *  - NAME_CHANGED: a name change `details.from` → `details.to` on `effectiveOn`; the person's name is `to`.
 *  - GENDER_CHANGED: a gender change on `effectiveOn`; the person's gender is `details.to`.
 *  - MIGRATED: no overlay (the hukou moved to another region's registry, which certflow does not hold; the
 *    record here stays as it was — certflow's default).
 * A cancellation already in the file is kept (the earlier record wins); the latest reported change of a
 * kind decides otherwise. (The change feed refuses changes effective after today, so none is in the future.)
 */
import type {
  Cancellation,
  CancellationReason,
  GenderChange,
  NameChange,
  PersonRecord,
  PopulationRegistry,
} from '#shared/registry/registry.ts';

/** One recorded change, as the change store keeps it (the fields the overlay reads). */
export interface OverlayChange {
  changeId: string;
  type: string;
  idNumber: string;
  effectiveOn: string;
  details: Record<string, unknown>;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * `base` with `changes` laid over it (see the module comment). The result answers every question of
 * `PopulationRegistry`; people without changes are answered by `base` unchanged.
 */
export function withRecordedChanges(
  base: PopulationRegistry,
  changes: readonly OverlayChange[],
): PopulationRegistry {
  const byPerson = new Map<string, OverlayChange[]>();
  for (const c of [...changes].sort((a, b) =>
    `${a.effectiveOn}#${a.changeId}`.localeCompare(`${b.effectiveOn}#${b.changeId}`),
  )) {
    byPerson.set(c.idNumber, [...(byPerson.get(c.idNumber) ?? []), c]);
  }
  if (byPerson.size === 0) return base;
  const of = (idNumber: string) => byPerson.get(idNumber) ?? [];

  const nameChanges = (idNumber: string): NameChange[] => [
    ...base.nameChanges(idNumber),
    ...of(idNumber).flatMap((c) => {
      const from = text(c.details.from);
      const to = text(c.details.to);
      return c.type === 'NAME_CHANGED' && from && to
        ? [{ idNumber, from, to, changedOn: c.effectiveOn }]
        : [];
    }),
  ];
  const genderChanges = (idNumber: string): GenderChange[] => [
    ...base.genderChanges(idNumber),
    ...of(idNumber).flatMap((c): GenderChange[] => {
      const from = text(c.details.from);
      const to = text(c.details.to);
      return c.type === 'GENDER_CHANGED' && (from === 'M' || from === 'F') && (to === 'M' || to === 'F')
        ? [{ idNumber, from, to, changedOn: c.effectiveOn } satisfies GenderChange]
        : [];
    }),
  ];
  const cancellation = (idNumber: string): Cancellation | undefined => {
    const kept = base.cancellation(idNumber);
    if (kept) return kept;
    const c = of(idNumber).find((x) => x.type === 'DEATH' || x.type === 'HUKOU_CANCELLED');
    if (!c) return undefined;
    // A HUKOU_CANCELLED change's reason (EMIGRATION, ENLISTMENT or OTHER) is the registry's own word.
    const reason = (c.type === 'DEATH' ? 'DEATH' : (text(c.details.reason) ?? 'OTHER')) as CancellationReason;
    return { idNumber, reason, cancelledOn: c.effectiveOn };
  };
  const person = (idNumber: string): PersonRecord | undefined => {
    const p = base.person(idNumber);
    if (!p || of(idNumber).length === 0) return p;
    // The latest reported change of name / gender decides (the overlay's changes follow the file's).
    const name = of(idNumber).some((c) => c.type === 'NAME_CHANGED')
      ? nameChanges(idNumber).at(-1)?.to
      : undefined;
    const gender = of(idNumber).some((c) => c.type === 'GENDER_CHANGED')
      ? genderChanges(idNumber).at(-1)?.to
      : undefined;
    return { ...p, ...(name ? { name } : {}), ...(gender ? { gender } : {}) };
  };

  return {
    person,
    householdOf: (id) => base.householdOf(id),
    sameHousehold: (a, b) => base.sameHousehold(a, b),
    kinshipLinks: (id) => base.kinshipLinks(id),
    kinship: (a, b) => base.kinship(a, b),
    nameChanges,
    genderChanges,
    cancellation,
    incidents: (id, kind) => base.incidents(id, kind),
    criminalRecord: (id) => base.criminalRecord(id),
    residence: (id) => base.residence(id),
    station: (code) => base.station(code),
    stations: () => base.stations(),
  };
}
