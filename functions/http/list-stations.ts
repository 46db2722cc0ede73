/**
 * GET /v1/stations — the stations of the loaded population registry that the caller (officer or
 * supervisor token) acts for, in registry order: `{ stations: [{ code, name, county, city }] }`. The
 * officer console's station picker. A principal acting for every station (`*`) gets all of them.
 */
import { type Deps, lazyHandler } from '../deps.ts';
import { actsFor, requireStaff } from '../edge/auth.ts';
import { httpHandler, json } from '../edge/http.ts';
import { staffDeps } from '../edge/staff-deps.ts';

export function createHandler(deps: Deps) {
  return httpHandler(deps, async (event) => {
    const principal = await requireStaff(deps, event);
    const registry = await deps.registry();
    const stations = registry
      .stations()
      .filter((s) => actsFor(principal, s.code))
      .map(({ code, name, county, city }) => ({ code, name, county, city }));
    return json(200, { stations });
  });
}

export const handler = lazyHandler(() => createHandler(staffDeps()));
