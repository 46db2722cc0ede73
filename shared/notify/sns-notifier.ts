/**
 * The notification port on AWS: one SMS per message through Amazon SNS `Publish` with `PhoneNumber`
 * (E.164) and `AWS.SNS.SMS.SMSType = Transactional` (SNS Developer Guide, "Publishing to a mobile phone").
 * Only the functions that send are granted `sns:Publish` (infra). In the AWS China regions SNS does not
 * send SMS to mainland numbers: there the provider is configuration (`CERTFLOW_SMS_PROVIDER`, see
 * `notifierFromEnv`), e.g. an HTTP gateway of a domestic SMS service.
 */
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { Notifier, Sms } from '#shared/domain/notifications.ts';

// Also the client class, for functions/deps.ts's dynamic import of this module: a dynamic import of the
// package itself would keep every command, schema and error class of the service in the bundle (esbuild
// keeps a materialised namespace whole; bench/PERF-NOTES.md round 4).
export { SNSClient };

export class SnsNotifier implements Notifier {
  readonly #sns: SNSClient;
  readonly #senderId: string | undefined;
  constructor(sns: SNSClient, options: { senderId?: string } = {}) {
    this.#sns = sns;
    this.#senderId = options.senderId;
  }

  async send(sms: Sms): Promise<void> {
    await this.#sns.send(
      new PublishCommand({
        PhoneNumber: sms.to,
        Message: sms.text,
        MessageAttributes: {
          'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
          ...(this.#senderId
            ? { 'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: this.#senderId } }
            : {}),
        },
      }),
    );
  }
}
