/**
 * A small population registry built in a test: only the people, links and records the test names.
 * Each person gets a valid ID number; households hold the people given the same `household`.
 */
import { InMemoryRegistry, type RegistryData } from '#shared/registry/registry.ts';
import { makeIdNumber } from '#tests/helpers/domain-id-numbers.ts';

export interface SmallPerson {
  name: string;
  gender: 'M' | 'F';
  household?: string;
  birthDate?: string;
  relationToHead?: RegistryData['households'][number]['members'][number]['relationToHead'];
}

export type SmallRegistryData = Partial<Omit<RegistryData, 'households' | 'stations'>>;

/** ID numbers for `names` (people on record or not), and a registry holding `people` and `records`. */
export function smallRegistry(
  people: Record<string, SmallPerson>,
  records: (id: Record<string, string>) => SmallRegistryData = () => ({}),
  notOnRecord: string[] = [],
): { registry: InMemoryRegistry; id: Record<string, string> } {
  const id: Record<string, string> = {};
  for (const [key, p] of Object.entries(people)) id[key] = makeIdNumber({ gender: p.gender });
  for (const key of notOnRecord) id[key] = makeIdNumber();
  const households = new Map<string, RegistryData['households'][number]>();
  for (const [key, p] of Object.entries(people)) {
    const hid = p.household ?? `H-${key}`;
    const h = households.get(hid) ?? {
      householdId: hid,
      station: `S-${hid}`,
      address: `${hid} Road 1`,
      members: [],
    };
    h.members.push({
      idNumber: id[key] as string,
      name: p.name,
      gender: p.gender,
      birthDate: p.birthDate ?? '1990-01-01',
      ethnicity: '汉族',
      relationToHead: p.relationToHead ?? (h.members.length === 0 ? 'HEAD' : 'OTHER'),
    });
    households.set(hid, h);
  }
  const r = records(id);
  const data: RegistryData = {
    stations: [...households.values()].map((h) => ({
      code: h.station,
      name: `${h.householdId} station`,
      county: 'Chaoyang',
      city: 'Changchun',
    })),
    households: [...households.values()],
    kinship: r.kinship ?? [],
    nameChanges: r.nameChanges ?? [],
    genderChanges: r.genderChanges ?? [],
    cancellations: r.cancellations ?? [],
    incidents: r.incidents ?? [],
    criminalRecords: r.criminalRecords ?? [],
    residences: r.residences ?? [],
  };
  return { registry: new InMemoryRegistry(data), id };
}
