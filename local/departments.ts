/**
 * Demo department inboxes: each demo department's endpoint is `/_local/departments/{code}/inbox` on the
 * gateway. A POST there is what a department receives from certflow (signed, Standard Webhooks); the
 * inbox verifies the signature with the department's secret, as a real department would, and keeps the
 * message. GET shows them, newest first. Kept in memory and, with a data dir, in `DIR/inbox/{code}.jsonl`.
 */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '#shared/clock.ts';
import { verify, WebhookVerificationError } from '#shared/webhooks/signature.ts';

export interface InboxMessage {
  receivedAt: string;
  webhookId: string;
  verified: boolean;
  problem?: string;
  duplicate: boolean;
  type?: string;
  data?: unknown;
}

export interface Inboxes {
  receive(
    code: string,
    headers: Record<string, string>,
    body: string,
  ): Promise<{ status: number; body: unknown }>;
  list(code: string): InboxMessage[] | undefined;
  /** Departments whose inbox answers 503 (to try the retries and the dead letter). */
  failing: Set<string>;
}

export async function start(options: {
  secrets: Record<string, string>;
  clock: Clock;
  dir?: string;
}): Promise<Inboxes> {
  const boxes = new Map<string, InboxMessage[]>();
  for (const code of Object.keys(options.secrets)) boxes.set(code, []);
  if (options.dir) {
    await mkdir(options.dir, { recursive: true });
    for (const code of boxes.keys()) {
      try {
        const lines = (await readFile(join(options.dir, `${code}.jsonl`), 'utf8'))
          .split('\n')
          .filter(Boolean);
        boxes.set(
          code,
          lines.map((l) => JSON.parse(l) as InboxMessage),
        );
      } catch {
        // no inbox file yet
      }
    }
  }
  const failing = new Set<string>();
  return {
    failing,
    list: (code) => boxes.get(code)?.slice().reverse(),
    async receive(code, headers, body) {
      const box = boxes.get(code);
      const secret = options.secrets[code];
      if (!box || !secret) return { status: 404, body: { message: 'no such department inbox' } };
      if (failing.has(code)) return { status: 503, body: { message: 'inbox is set to fail' } };
      let message: InboxMessage;
      try {
        const { id } = verify([secret], headers, body, options.clock);
        const parsed = JSON.parse(body) as { type?: string; data?: unknown };
        message = {
          receivedAt: new Date(options.clock.now()).toISOString(),
          webhookId: id,
          verified: true,
          duplicate: box.some((m) => m.webhookId === id && m.verified),
          type: parsed.type,
          data: parsed.data,
        };
      } catch (error) {
        if (!(error instanceof WebhookVerificationError) && !(error instanceof SyntaxError)) throw error;
        return { status: 401, body: { message: 'signature not valid', problem: (error as Error).message } };
      }
      box.push(message);
      if (options.dir) await appendFile(join(options.dir, `${code}.jsonl`), `${JSON.stringify(message)}\n`);
      return { status: 204, body: undefined };
    },
  };
}
