/**
 * Level-by-level docking (逐级对接): a connected body at a level (province, city, county) docks with the
 * police organ of its own level and region. A query is answered by the organ at that same level whose
 * region covers the subject (the subject's registration station's county or city, or the province); when
 * the subject lives outside the asker's region the query goes up to the lowest level whose organ covers
 * both, then down to the answering organ, and the answer comes back the same way. Every hop is recorded.
 * Pure. Organ names are certflow's default renderings of the public security organs of each level
 * (省公安厅, 市公安局, 区/县公安分局).
 */
import type { DockingHop, DockingRoute } from '#shared/store/model.ts';

export const LEVELS = ['PROVINCE', 'CITY', 'COUNTY'] as const;
export type Level = (typeof LEVELS)[number];

/** The province every organ of this registry belongs to (certflow runs one province's registry). */
export const PROVINCE = '吉林省';

/** Where a body or a person is: the city and county (absent above their level). */
export interface Place {
  city?: string;
  county?: string;
}

/** A police organ: its level and the region it covers. */
export interface Organ extends Place {
  level: Level;
}

/** The organ's name (certflow's default rendering): 吉林省公安厅, 长春市公安局, 长春市朝阳区公安分局. */
export function organName(organ: Organ): string {
  if (organ.level === 'PROVINCE') return `${PROVINCE}公安厅`;
  if (organ.level === 'CITY') return `${organ.city ?? ''}公安局`;
  return `${organ.city ?? ''}${organ.county ?? ''}公安分局`;
}

/** The organ at `level` whose region holds `place` (undefined when the place does not name that level). */
export function organAt(level: Level, place: Place): Organ | undefined {
  if (level === 'PROVINCE') return { level };
  if (level === 'CITY') return place.city ? { level, city: place.city } : undefined;
  return place.city && place.county ? { level, city: place.city, county: place.county } : undefined;
}

function covers(organ: Organ, place: Place): boolean {
  if (organ.level === 'PROVINCE') return true;
  if (organ.level === 'CITY') return organ.city === place.city;
  return organ.city === place.city && organ.county === place.county;
}

/** The organ one level up (the province has none). */
function parent(organ: Organ): Organ | undefined {
  if (organ.level === 'COUNTY') return { level: 'CITY', ...(organ.city ? { city: organ.city } : {}) };
  if (organ.level === 'CITY') return { level: 'PROVINCE' };
  return undefined;
}

const DEPTH: Record<Level, number> = { PROVINCE: 0, CITY: 1, COUNTY: 2 };

/**
 * The route of a query from a body at `asker` (its level and region) about a subject registered at
 * `subject` (the registration station's city and county; undefined: not on record, answered by the
 * asker's own chain at the province). Hops at `at` (ISO). Throws RangeError when the asker's region does
 * not name its level (a configuration error).
 */
export function dockingRoute(asker: Organ, subject: Place | undefined, at: string): DockingRoute {
  const own = organAt(asker.level, asker);
  if (!own) throw new RangeError(`a ${asker.level} body needs its region down to that level`);
  // Up from the asker's organ until one covers the subject.
  const up: Organ[] = [own];
  let common = own;
  while (!(subject && covers(common, subject)) && parent(common)) {
    common = parent(common)!;
    up.push(common);
  }
  // Down from the common organ to the asker's level over the subject's region.
  const down: Organ[] = [];
  if (subject) {
    for (const level of LEVELS) {
      if (DEPTH[level] <= DEPTH[common.level] || DEPTH[level] > DEPTH[asker.level]) continue;
      const o = organAt(level, subject);
      if (o) down.push(o);
    }
  }
  const path = [...up, ...down].map(organName);
  const hops: DockingHop[] = [];
  const depthOf = [...up, ...down].map((o) => DEPTH[o.level]);
  for (let i = 0; i + 1 < path.length; i += 1) {
    hops.push({
      from: path[i]!,
      to: path[i + 1]!,
      direction: depthOf[i + 1]! < depthOf[i]! ? 'UP' : 'DOWN',
      leg: 'QUERY',
      at,
    });
  }
  for (let i = path.length - 1; i > 0; i -= 1) {
    hops.push({
      from: path[i]!,
      to: path[i - 1]!,
      direction: depthOf[i - 1]! < depthOf[i]! ? 'UP' : 'DOWN',
      leg: 'ANSWER',
      at,
    });
  }
  return {
    askedAt: path[0]!,
    answeredBy: path.at(-1)!,
    commonLevel: common.level,
    hops,
  };
}
