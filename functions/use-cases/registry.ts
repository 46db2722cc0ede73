/**
 * The population registry as certflow answers from it: the static registry file (`deps.registry()`) with
 * the changes the registry reported through its change feed (POST /v1/registry/changes,
 * use-cases/periodic-exchange.ts recordChange) laid over it. The one place that combines the two: the
 * ad-hoc exchange answer (http/exchange-query.ts) and the rule check (workflow/check-rules.ts) both read it.
 */
import { withRecordedChanges } from '#shared/domain/registry-overlay.ts';
import type { PopulationRegistry } from '#shared/registry/registry.ts';
import type { Deps } from '../deps.ts';

/**
 * The registry as it stands for these people: the registry file with each person's recorded changes
 * (ExchangeFeedStore.changesOf, one Query of the `PCHANGE#{sha256(idNumber)}` partition per distinct
 * person) laid over it (shared/domain/registry-overlay.ts). `undefined` ID numbers are skipped; people not
 * named are answered from the file alone. A death reported through the feed thus changes a later ALIVE
 * answer and a later request's rule check. The function needs read access to `PCHANGE#*` (function-list).
 */
export async function registryAsRecorded(
  deps: Deps,
  idNumbers: readonly (string | undefined)[],
): Promise<PopulationRegistry> {
  const base = await deps.registry();
  const people = [...new Set(idNumbers.filter((id): id is string => id !== undefined))];
  const changes = (await Promise.all(people.map((id) => deps.exchange.changesOf(id)))).flat();
  return withRecordedChanges(base, changes);
}
