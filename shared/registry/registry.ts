/**
 * The population registry port: what the rule check may ask the police population data, and an in-memory
 * implementation loaded from the registry file format of docs/api.md (validated with zod; a malformed file is
 * rejected with the path of every error, e.g. `households.0.members.2.idNumber`).
 *
 * The port is synchronous: the rule check is a pure function over a snapshot. A remote registry would be
 * read into such a snapshot (or the port made async) without touching the rules' logic.
 *
 * Conventions of the file format beyond docs/api.md:
 * - `kinship` with `PARENT_CHILD`: `a` is the parent, `b` the child. `SIBLING` and `SPOUSE` are symmetric.
 * - A cancelled person stays a member of the household where the hukou was (the cancellation marks it);
 *   `changedOn`, `cancelledOn` and incident `date` are `YYYY-MM-DD`.
 * - A person's `name` and `gender` are the current ones; `nameChanges`/`genderChanges` keep the history.
 * - `relationToHead` is what the booklet's member page records (MPS 2016: the booklet proves a member's
 *   relation to the head of household, not the relation between two other members).
 * - `shownInBooklet` on a name or gender change or a cancellation: the booklet's change/cancellation pages
 *   show it (变更更正栏、注销栏), so the booklet proves it (rule 5). Absent: false.
 * - `residences`: where a person lives away from the hukou (residence registration or permit), by station;
 *   where the person is for a temporary identity (管辖地) and the residence station of the 2021 rules.
 * - `parties` of an incident: the ID numbers of the people on the case (reporter, finder, relatives).
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { fieldErrors, summarize } from '#shared/domain/errors.ts';
import { idNumberProblem } from '#shared/domain/id-number.ts';
import { INCIDENT_KINDS, type IncidentKind } from '#shared/domain/types.ts';
import * as z from '#shared/schemas/zod.ts';

export const RELATIONS_TO_HEAD = [
  'HEAD',
  'SPOUSE',
  'SON',
  'DAUGHTER',
  'FATHER',
  'MOTHER',
  'GRANDPARENT',
  'GRANDCHILD',
  'SIBLING',
  'OTHER',
] as const;
export type RelationToHead = (typeof RELATIONS_TO_HEAD)[number];
export const KINSHIP_RELATIONS = ['PARENT_CHILD', 'SIBLING', 'SPOUSE'] as const;
export type KinshipRelation = (typeof KINSHIP_RELATIONS)[number];
export const CANCELLATION_REASONS = ['DEATH', 'EMIGRATION', 'ENLISTMENT'] as const;
export type CancellationReason = (typeof CANCELLATION_REASONS)[number];

export interface Station {
  code: string;
  name: string;
  county: string;
  city: string;
  /** Where citizens go (shown on the status page instead of the code). */
  address?: string;
  /** Opening hours, Chinese and English. */
  hours?: { zh: string; en: string };
}

export interface Member {
  idNumber: string;
  name: string;
  gender: 'M' | 'F';
  birthDate: string;
  ethnicity: string;
  relationToHead: RelationToHead;
}

export interface Household {
  householdId: string;
  station: string;
  address: string;
  members: Member[];
}

/** A person on record, with the household they are registered in. */
export interface PersonRecord extends Member {
  householdId: string;
  station: string;
  address: string;
}

export interface KinshipLink {
  a: string;
  b: string;
  relation: KinshipRelation;
}

export interface NameChange {
  idNumber: string;
  from: string;
  to: string;
  changedOn: string;
  shownInBooklet?: boolean;
}

export interface GenderChange {
  idNumber: string;
  from: 'M' | 'F';
  to: 'M' | 'F';
  changedOn: string;
  shownInBooklet?: boolean;
}

export interface Cancellation {
  idNumber: string;
  reason: CancellationReason;
  cancelledOn: string;
  shownInBooklet?: boolean;
}

/** Where a person lives away from the hukou (station of the residence registration or permit). */
export interface Residence {
  idNumber: string;
  station: string;
  since: string;
}

export interface Incident {
  incidentId: string;
  kind: IncidentKind;
  station: string;
  date: string;
  subjectIdNumber: string;
  concluded: boolean;
  parties?: string[];
}

export interface CriminalRecord {
  idNumber: string;
  hasRecord: boolean;
}

export interface RegistryData {
  stations: Station[];
  households: Household[];
  kinship: KinshipLink[];
  nameChanges: NameChange[];
  genderChanges: GenderChange[];
  cancellations: Cancellation[];
  incidents: Incident[];
  criminalRecords: CriminalRecord[];
  residences: Residence[];
}

/** What the rules may ask of the population registry. */
export interface PopulationRegistry {
  /** The person with this ID number, or undefined when not on record. */
  person(idNumber: string): PersonRecord | undefined;
  /** The household the person is registered in. */
  householdOf(idNumber: string): Household | undefined;
  /** Whether both people are registered in one household (one hukou booklet). */
  sameHousehold(a: string, b: string): boolean;
  /** Every kinship link that involves this person. */
  kinshipLinks(idNumber: string): KinshipLink[];
  /** The kinship link between two people (either order), if the registry holds one. */
  kinship(a: string, b: string): KinshipLink | undefined;
  nameChanges(idNumber: string): NameChange[];
  genderChanges(idNumber: string): GenderChange[];
  cancellation(idNumber: string): Cancellation | undefined;
  /** Incidents whose subject is this person, optionally of one kind, in file order. */
  incidents(idNumber: string, kind?: IncidentKind): Incident[];
  criminalRecord(idNumber: string): CriminalRecord | undefined;
  /** Where the person lives away from the hukou, if registered. */
  residence(idNumber: string): Residence | undefined;
  station(code: string): Station | undefined;
  stations(): Station[];
}

export class RegistryError extends Error {
  override name = 'RegistryError';
  readonly errors: { path: string; message: string }[];
  constructor(errors: { path: string; message: string }[], options?: { cause?: unknown }) {
    super(`invalid registry: ${summarize(errors)}`, options);
    this.errors = errors;
  }
}

/**
 * The registry file's schema (zod): strict objects, dates `YYYY-MM-DD` that exist, valid ID numbers, unique
 * stations/households/people, references to known stations and people. Built on the first parse, not at
 * import: every Lambda bundle imports this module (functions/deps.ts), which reads the registry file only
 * when a handler first needs it, and building the ≈ 115 zod schemas at import cost every cold start
 * ≈ 3 ms (issue 16, bench/PERF-NOTES.md "round 4 — zod/mini").
 */
function makeRegistrySchema() {
  const dateString = z.string().check(
    z.regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD'),
    z.refine(
      (s) =>
        !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
      {
        message: 'is not a real calendar date',
      },
    ),
  );

  const idNumber = z.string().check(
    z.superRefine((s, ctx) => {
      const problem = idNumberProblem(s);
      if (problem) ctx.addIssue({ code: 'custom', message: `${problem.message.zh} / ${problem.message.en}` });
    }),
  );
  const name = z.string().check(z.trim(), z.minLength(1), z.maxLength(100));
  const gender = z.enum(['M', 'F']);
  const shownInBooklet = z.optional(z.boolean());
  const text = (min: number, max: number) => z.string().check(z.minLength(min), z.maxLength(max));
  const upTo = (max: number) => z.string().check(z.maxLength(max));
  /** A list that may be left out of the file (an empty list). */
  const listOf = <T extends z.core.$ZodType>(item: T) => z._default(z.array(item), []);

  return z
    .strictObject({
      stations: z
        .array(
          z.strictObject({
            code: text(1, 64),
            name,
            county: upTo(100),
            city: upTo(100),
            address: z.optional(text(1, 300)),
            hours: z.optional(z.strictObject({ zh: text(1, 200), en: text(1, 200) })),
          }),
        )
        .check(z.minLength(1)),
      households: z.array(
        z.strictObject({
          householdId: text(1, 64),
          station: text(1, 64),
          address: upTo(300),
          members: z
            .array(
              z.strictObject({
                idNumber,
                name,
                gender,
                birthDate: dateString,
                ethnicity: text(1, 20),
                relationToHead: z.enum(RELATIONS_TO_HEAD),
              }),
            )
            .check(z.minLength(1)),
        }),
      ),
      kinship: listOf(z.strictObject({ a: idNumber, b: idNumber, relation: z.enum(KINSHIP_RELATIONS) })),
      nameChanges: listOf(
        z.strictObject({ idNumber, from: name, to: name, changedOn: dateString, shownInBooklet }),
      ),
      genderChanges: listOf(
        z.strictObject({ idNumber, from: gender, to: gender, changedOn: dateString, shownInBooklet }),
      ),
      cancellations: listOf(
        z.strictObject({
          idNumber,
          reason: z.enum(CANCELLATION_REASONS),
          cancelledOn: dateString,
          shownInBooklet,
        }),
      ),
      incidents: listOf(
        z.strictObject({
          incidentId: text(1, 64),
          kind: z.enum(INCIDENT_KINDS),
          station: text(1, 64),
          date: dateString,
          subjectIdNumber: idNumber,
          concluded: z.boolean(),
          parties: z.optional(z.array(idNumber)),
        }),
      ),
      criminalRecords: listOf(z.strictObject({ idNumber, hasRecord: z.boolean() })),
      residences: listOf(z.strictObject({ idNumber, station: text(1, 64), since: dateString })),
    })
    .check(
      z.superRefine((r, ctx) => {
        const stations = new Set<string>();
        r.stations.forEach((s, i) => {
          if (stations.has(s.code))
            ctx.addIssue({ code: 'custom', path: ['stations', i, 'code'], message: 'duplicate station' });
          stations.add(s.code);
        });
        const people = new Set<string>();
        const households = new Set<string>();
        r.households.forEach((h, i) => {
          if (households.has(h.householdId)) {
            ctx.addIssue({
              code: 'custom',
              path: ['households', i, 'householdId'],
              message: 'duplicate household',
            });
          }
          households.add(h.householdId);
          if (!stations.has(h.station)) {
            ctx.addIssue({
              code: 'custom',
              path: ['households', i, 'station'],
              message: `unknown station ${h.station}`,
            });
          }
          h.members.forEach((m, j) => {
            if (people.has(m.idNumber)) {
              ctx.addIssue({
                code: 'custom',
                path: ['households', i, 'members', j, 'idNumber'],
                message: 'person registered twice (a person has one hukou)',
              });
            }
            people.add(m.idNumber);
          });
          if (h.members.filter((m) => m.relationToHead === 'HEAD').length !== 1) {
            ctx.addIssue({
              code: 'custom',
              path: ['households', i, 'members'],
              message: 'needs exactly one HEAD',
            });
          }
        });
        r.kinship.forEach((k, i) => {
          if (k.a === k.b)
            ctx.addIssue({
              code: 'custom',
              path: ['kinship', i, 'b'],
              message: 'a person is not their own kin',
            });
        });
        r.genderChanges.forEach((g, i) => {
          if (g.from === g.to)
            ctx.addIssue({ code: 'custom', path: ['genderChanges', i, 'to'], message: 'equals from' });
        });
        const knownStation = (list: 'incidents' | 'residences', items: { station: string }[]) =>
          items.forEach((x, i) => {
            if (!stations.has(x.station)) {
              ctx.addIssue({
                code: 'custom',
                path: [list, i, 'station'],
                message: `unknown station ${x.station}`,
              });
            }
          });
        knownStation('incidents', r.incidents);
        knownStation('residences', r.residences);
        // One entry per person in each of these lists.
        const once = (
          list: 'residences' | 'criminalRecords' | 'cancellations',
          items: { idNumber: string }[],
          message: string,
        ) => {
          const seen = new Set<string>();
          items.forEach((x, i) => {
            if (seen.has(x.idNumber)) ctx.addIssue({ code: 'custom', path: [list, i, 'idNumber'], message });
            seen.add(x.idNumber);
          });
        };
        once('residences', r.residences, 'listed twice');
        once('criminalRecords', r.criminalRecords, 'criminal record listed twice');
        once('cancellations', r.cancellations, 'cancelled twice');
      }),
    );
}

let registrySchema: ReturnType<typeof makeRegistrySchema> | undefined;

/** Validates registry data and builds the in-memory registry; throws `RegistryError` naming every bad path. */
export function parseRegistry(data: unknown): InMemoryRegistry {
  registrySchema ??= makeRegistrySchema(); // built once per process
  const r = registrySchema.safeParse(data);
  if (!r.success) {
    throw new RegistryError(fieldErrors(r.error), { cause: r.error });
  }
  return new InMemoryRegistry(r.data);
}

/** Reads and parses a registry JSON file; unreadable or non-JSON files are `RegistryError`s too. */
export async function loadRegistryFile(path: string): Promise<InMemoryRegistry> {
  let raw: string;
  try {
    raw = await readFile(path, 'utf8');
  } catch (cause) {
    throw new RegistryError([{ path: '', message: `cannot read ${path}: ${(cause as Error).message}` }], {
      cause,
    });
  }
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch (cause) {
    throw new RegistryError([{ path: '', message: `${path} is not JSON: ${(cause as Error).message}` }], {
      cause,
    });
  }
  return parseRegistry(data);
}

/** Absolute path of the demo registry (`shared/registry/demo-registry.json`), see DEMO.md. */
export const demoRegistryPath: string = fileURLToPath(new URL('./demo-registry.json', import.meta.url));

function groupBy<T>(items: readonly T[], keys: (item: T) => string[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    for (const key of new Set(keys(item))) {
      const list = map.get(key);
      if (list) list.push(item);
      else map.set(key, [item]);
    }
  }
  return map;
}

/** The registry over validated data, indexed once by ID number (lookups do not scan the lists). */
export class InMemoryRegistry implements PopulationRegistry {
  readonly data: RegistryData;
  readonly #people = new Map<string, PersonRecord>();
  readonly #households = new Map<string, Household>();
  readonly #stations = new Map<string, Station>();
  readonly #kinship: Map<string, KinshipLink[]>;
  readonly #nameChanges: Map<string, NameChange[]>;
  readonly #genderChanges: Map<string, GenderChange[]>;
  readonly #cancellations: Map<string, Cancellation[]>;
  readonly #incidents: Map<string, Incident[]>;
  readonly #criminalRecords: Map<string, CriminalRecord[]>;
  readonly #residences: Map<string, Residence[]>;

  constructor(data: RegistryData) {
    this.data = data;
    for (const s of data.stations) this.#stations.set(s.code, s);
    for (const h of data.households) {
      this.#households.set(h.householdId, h);
      for (const m of h.members) {
        this.#people.set(m.idNumber, {
          ...m,
          householdId: h.householdId,
          station: h.station,
          address: h.address,
        });
      }
    }
    this.#kinship = groupBy(data.kinship, (k) => [k.a, k.b]);
    this.#nameChanges = groupBy(data.nameChanges, (c) => [c.idNumber]);
    this.#genderChanges = groupBy(data.genderChanges, (c) => [c.idNumber]);
    this.#cancellations = groupBy(data.cancellations, (c) => [c.idNumber]);
    this.#incidents = groupBy(data.incidents, (x) => [x.subjectIdNumber]);
    this.#criminalRecords = groupBy(data.criminalRecords, (c) => [c.idNumber]);
    this.#residences = groupBy(data.residences, (x) => [x.idNumber]);
  }

  person(idNumber: string): PersonRecord | undefined {
    return this.#people.get(idNumber);
  }

  householdOf(idNumber: string): Household | undefined {
    const p = this.#people.get(idNumber);
    return p ? this.#households.get(p.householdId) : undefined;
  }

  sameHousehold(a: string, b: string): boolean {
    const pa = this.#people.get(a);
    const pb = this.#people.get(b);
    return pa !== undefined && pb !== undefined && a !== b && pa.householdId === pb.householdId;
  }

  kinshipLinks(idNumber: string): KinshipLink[] {
    return [...(this.#kinship.get(idNumber) ?? [])];
  }

  kinship(a: string, b: string): KinshipLink | undefined {
    return this.#kinship.get(a)?.find((k) => (k.a === a && k.b === b) || (k.a === b && k.b === a));
  }

  nameChanges(idNumber: string): NameChange[] {
    return [...(this.#nameChanges.get(idNumber) ?? [])];
  }

  genderChanges(idNumber: string): GenderChange[] {
    return [...(this.#genderChanges.get(idNumber) ?? [])];
  }

  cancellation(idNumber: string): Cancellation | undefined {
    return this.#cancellations.get(idNumber)?.[0];
  }

  incidents(idNumber: string, kind?: IncidentKind): Incident[] {
    return (this.#incidents.get(idNumber) ?? []).filter((x) => kind === undefined || x.kind === kind);
  }

  criminalRecord(idNumber: string): CriminalRecord | undefined {
    return this.#criminalRecords.get(idNumber)?.[0];
  }

  residence(idNumber: string): Residence | undefined {
    return this.#residences.get(idNumber)?.[0];
  }

  station(code: string): Station | undefined {
    return this.#stations.get(code);
  }

  stations(): Station[] {
    return [...this.data.stations];
  }
}
