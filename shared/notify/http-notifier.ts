/** The other notifiers: an HTTP SMS gateway (the China regions' provider as configuration) and none. */
import type { Notifier, Sms } from '#shared/domain/notifications.ts';

/**
 * An HTTP SMS gateway (the China-region provider as configuration): POSTs `{ to, text, requestId, key }`
 * as JSON to `url` with `authorization: Bearer <token>`; a non-2xx answer rejects.
 */
export class HttpSmsNotifier implements Notifier {
  /** `token`: the bearer token, or a function that gives it (read from Secrets Manager, cached: deps.ts). */
  constructor(
    private readonly url: string,
    private readonly token: string | undefined | (() => Promise<string | undefined>),
    private readonly fetchFn: typeof fetch = fetch,
  ) {}

  async send(sms: Sms): Promise<void> {
    const token = typeof this.token === 'function' ? await this.token() : this.token;
    const response = await this.fetchFn(this.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ to: sms.to, text: sms.text, requestId: sms.requestId, key: sms.key }),
    });
    if (!response.ok) throw new Error(`SMS gateway answered ${response.status}`);
  }
}

/** Sends nothing (no provider configured): the message is dropped and the caller logs that it was. */
export const noNotifier: Notifier = { send: () => Promise.resolve() };
