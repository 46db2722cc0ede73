/**
 * De-duplication of signed department messages on `webhook-id`: the first delivery claims the id, the
 * answer is kept with it, and a later delivery of the same message gets that answer again — one arriving
 * while the first is processed waits for it. A claim left PROCESSING by a crashed invocation is taken over
 * after a minute.
 */
import { conflict } from '#shared/http/problem.ts';
import type { Deps } from '../deps.ts';
import { HttpError, type HttpResult, json } from './http.ts';

export const WEBHOOK_TTL_SECONDS = 7 * 24 * 3600;
export const ABANDONED_AFTER_MS = 60_000;

export type Claim =
  | { kind: 'claimed'; at: string; expiresAt: number }
  | { kind: 'replay'; result: HttpResult };

/** How long a second delivery of a message waits for the first one's answer. */
export const WAIT_FOR_FIRST_MS = 10_000;

/**
 * Claims `webhookId` for `department`, or answers as the first delivery did. A delivery arriving while
 * the first is still being processed waits for its answer (polling, up to WAIT_FOR_FIRST_MS) and gets
 * that answer: the same signed message twice, even at once, is answered the same way twice (API.md).
 * A claim released meanwhile (the first was refused) is claimed again; one abandoned by a crash (older
 * than ABANDONED_AFTER_MS) is taken over. Errors: HttpError 409 if the first never finishes in time.
 */
export async function claimMessage(
  deps: Deps,
  department: string,
  webhookId: string,
  options: { waitMs?: number } = {},
): Promise<Claim> {
  const until = Date.now() + (options.waitMs ?? WAIT_FOR_FIRST_MS);
  for (;;) {
    const now = deps.clock.now();
    const at = new Date(now).toISOString();
    const expiresAt = Math.floor(now / 1000) + WEBHOOK_TTL_SECONDS;
    const claim = await deps.store.claimWebhook(department, webhookId, at, expiresAt);
    if (claim.claimed) return { kind: 'claimed', at, expiresAt };
    const existing = claim.existing;
    if (existing.state === 'DONE' && existing.response) {
      return {
        kind: 'replay',
        result: json(existing.response.statusCode, existing.response.body, { 'webhook-replayed': 'true' }),
      };
    }
    if (now - Date.parse(existing.at) >= ABANDONED_AFTER_MS) {
      await deps.store.releaseWebhook(department, webhookId);
      continue;
    }
    if (Date.now() >= until) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new HttpError(conflict({ zh: '该消息正在处理中', en: 'this message is being processed' }));
}

/** Runs the work for a claimed message; keeps its answer, or releases the id if the work was refused. */
export async function answerOnce(
  deps: Deps,
  department: string,
  webhookId: string,
  claim: { at: string; expiresAt: number },
  work: () => Promise<{ statusCode: number; body: unknown }>,
): Promise<HttpResult> {
  try {
    const answer = await work();
    await deps.store.completeWebhook(department, webhookId, answer, claim.at, claim.expiresAt);
    return json(answer.statusCode, answer.body);
  } catch (error) {
    await deps.store.releaseWebhook(department, webhookId);
    throw error;
  }
}
