/** The message of one delivery, as DeliverToDepartments sends it and RecordDeadLetter keeps it. */
import { exchangeIdFor, messageData } from '#shared/domain/deliveries.ts';
import type { RequestRecord } from '#shared/store/model.ts';
import type { Deps } from '../deps.ts';

/**
 * `messageData` of the domain, with the stored exchange record for `certflow.exchange.answered` (read
 * from the store by its id, `exchangeIdFor(requestId)`).
 */
export async function messageFor(
  deps: Pick<Deps, 'store'>,
  request: RequestRecord,
  delivery: { type: string; department: string },
): Promise<Record<string, unknown>> {
  const exchange =
    delivery.type === 'certflow.exchange.answered'
      ? await deps.store.getExchangeRecord(exchangeIdFor(request.requestId))
      : undefined;
  return messageData(request, delivery.type, delivery.department, exchange);
}
