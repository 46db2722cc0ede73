/**
 * Outgoing signed deliveries to department endpoints. One attempt per call: the workflow retries the
 * delivering task with backoff (ASL Retry, on the stack's clock) and, when a department keeps failing,
 * its Catch records a dead letter. A delivery is identified by a stable message id, so a retried
 * delivery carries the same `webhook-id` and the receiver can de-duplicate it.
 */
import type { Clock } from '#shared/clock.ts';
import { signedHeaders } from './signature.ts';

export class DeliveryFailedError extends Error {
  override name = 'DeliveryFailedError';
  constructor(
    message: string,
    readonly statusCode?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface OutgoingMessage {
  /** Stable id: the same message retried has the same id. */
  id: string;
  type: string;
  data: Record<string, unknown>;
}

export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string; signal?: AbortSignal },
) => Promise<{ status: number; text(): Promise<string> }>;

export async function deliverSigned(options: {
  endpoint: string;
  secrets: readonly string[];
  message: OutgoingMessage;
  clock: Clock;
  fetch?: FetchLike;
  timeoutMs?: number;
}): Promise<{ statusCode: number }> {
  const { endpoint, secrets, message, clock } = options;
  const doFetch: FetchLike = options.fetch ?? (globalThis.fetch as unknown as FetchLike);
  const timestamp = Math.floor(clock.now() / 1000);
  const body = JSON.stringify({
    type: message.type,
    timestamp: new Date(clock.now()).toISOString(),
    data: message.data,
  });
  const headers = {
    'content-type': 'application/json',
    ...signedHeaders(secrets.slice(0, 1), message.id, timestamp, body),
  };
  let status: number;
  try {
    const response = await doFetch(endpoint, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
    });
    status = response.status;
    await response.text().catch(() => '');
  } catch (cause) {
    throw new DeliveryFailedError(`delivery to ${endpoint} failed: ${(cause as Error).message}`, undefined, {
      cause,
    });
  }
  if (status < 200 || status >= 300)
    throw new DeliveryFailedError(`delivery to ${endpoint} answered ${status}`, status);
  return { statusCode: status };
}
