/**
 * The local notification outbox: the embedded stack's `Notifier`. Every SMS the functions send is kept
 * (in memory; with a data dir also in `DIR/outbox.jsonl`) and listed newest first at
 * `GET /_local/notifications` (optionally `?to=+8613800000000` or `?requestId=…`), like the department
 * inboxes. A message text never holds an ID number in clear (`smsFor` masks any).
 */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Notifier, Sms } from '#shared/domain/notifications.ts';

export interface OutboxMessage extends Sms {
  sentAt: string;
}

export class Outbox implements Notifier {
  readonly #messages: OutboxMessage[] = [];
  readonly #file: string | undefined;
  readonly #now: () => number;

  private constructor(now: () => number, file: string | undefined) {
    this.#now = now;
    this.#file = file;
  }

  /** An outbox on the stack clock; with `dataDir`, kept across restarts in `outbox.jsonl`. */
  static async open(now: () => number, dataDir?: string): Promise<Outbox> {
    const file = dataDir ? join(dataDir, 'outbox.jsonl') : undefined;
    const box = new Outbox(now, file);
    if (file) {
      await mkdir(dataDir as string, { recursive: true });
      try {
        for (const line of (await readFile(file, 'utf8')).split('\n')) {
          if (line.trim() !== '') box.#messages.push(JSON.parse(line) as OutboxMessage);
        }
      } catch {
        // no outbox file yet
      }
    }
    return box;
  }

  async send(sms: Sms): Promise<void> {
    const message = { ...sms, sentAt: new Date(this.#now()).toISOString() };
    this.#messages.push(message);
    if (this.#file) await appendFile(this.#file, `${JSON.stringify(message)}\n`);
  }

  /** Newest first; filtered by phone (`to`, E.164) and/or request. */
  list(filter: { to?: string; requestId?: string } = {}): OutboxMessage[] {
    return this.#messages
      .filter(
        (m) =>
          (filter.to === undefined || m.to === filter.to) &&
          (filter.requestId === undefined || m.requestId === filter.requestId),
      )
      .reverse();
  }
}
