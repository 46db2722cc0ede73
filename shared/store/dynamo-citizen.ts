/**
 * The citizen and transparency items of the single table (`DynamoStore` delegates to this): the
 * applicant's request links and phone marks, copies of the exchange records about a person (data
 * tracker), one-time codes, the abolished-demand counters and monthly reports. Keys: keys.ts. Every
 * person and phone is an HMAC key (shared/certificates/ids-and-codes.ts), never the ID number in clear.
 */
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AbolishedDemandCount } from '#shared/domain/citizen.ts';
import { isConditionalCheckFailed, mapAwsError } from './errors.ts';
import { citizenPartition, decodeStartKey, demandPartition, encodeCursor, keys, stripKeys } from './keys.ts';
import type {
  AbolishedDemandReportRecord,
  CitizenRequestLink,
  ExchangeRecord,
  OneTimeCodeRecord,
  Page,
} from './model.ts';
import type { DocumentCalls } from './plain-document.ts';
import type { TableAccess } from './table-access.ts';

/** The request link item under its applicant (`CITIZEN#{citizenKey}` / `REQ#{acceptedAt}#{id}`). */
export function citizenRequestItem(citizen: string, link: CitizenRequestLink): Record<string, unknown> {
  return {
    ...keys.citizenRequest(citizen, link.acceptedAt, link.requestId),
    itemType: 'citizenRequest',
    ...link,
  };
}

/**
 * The pair's mark (`CITIZEN#{citizenKey}` / `PHONE#{phoneKey}`: itemType only): some request was filed with
 * this ID number and phone, which is all citizen sign-in asks (`isCitizenPairKnown`). A plain item, the same
 * whenever it is written, so it joins intake's BatchWriteItem (`fileRequest`). Until issue 16's last round it
 * also kept the first request's time (`since`, never read), which needed an UpdateItem of its own.
 */
export function pairMarkItem(citizen: string, phoneKey: string): Record<string, unknown> {
  return { ...keys.citizenPhone(citizen, phoneKey), itemType: 'citizenPhone' };
}

export class DynamoCitizenItems {
  readonly #t: TableAccess;
  private readonly doc: DocumentCalls;
  private readonly table: string;

  constructor(table: TableAccess) {
    this.#t = table;
    this.doc = table.doc;
    this.table = table.table;
  }

  async #put(item: Record<string, unknown>, what: string, onlyNew = false): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: item,
          ...(onlyNew ? { ConditionExpression: 'attribute_not_exists(pk)' } : {}),
        }),
      );
      return true;
    } catch (error) {
      if (onlyNew && isConditionalCheckFailed(error)) return false;
      return mapAwsError(error, what);
    }
  }

  async #query(
    what: string,
    pk: string,
    prefix: string | undefined,
    options: { limit?: number; cursor?: string; forward?: boolean },
  ) {
    return this.#t.send(what, () =>
      this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: prefix ? 'pk = :p AND begins_with(sk, :prefix)' : 'pk = :p',
          ExpressionAttributeValues: { ':p': pk, ...(prefix ? { ':prefix': prefix } : {}) },
          ScanIndexForward: options.forward ?? false,
          ...(options.limit ? { Limit: options.limit } : {}),
          ...(options.cursor ? { ExclusiveStartKey: decodeStartKey(options.cursor) } : {}),
          ConsistentRead: true,
        }),
      ),
    );
  }

  async isCitizenPairKnown(citizen: string, phone: string): Promise<boolean> {
    const out = await this.#t.send('isCitizenPairKnown', () =>
      this.doc.send(new GetCommand({ TableName: this.table, Key: keys.citizenPhone(citizen, phone) })),
    );
    return out.Item !== undefined;
  }

  async listCitizenRequests(
    citizen: string,
    phone: string,
    options: { limit?: number } = {},
  ): Promise<CitizenRequestLink[]> {
    const limit = options.limit ?? 50;
    const found: CitizenRequestLink[] = [];
    let cursor: string | undefined;
    // A person's own requests: a handful; read in pages until `limit` with this phone are found.
    do {
      const out = await this.#query('listCitizenRequests', citizenPartition(citizen), 'REQ#', {
        limit: 100,
        ...(cursor ? { cursor } : {}),
      });
      for (const item of out.Items ?? []) {
        const link = stripKeys<CitizenRequestLink>(item);
        if (link.phoneKey === phone && found.length < limit) found.push(link);
      }
      cursor = encodeCursor(out.LastEvaluatedKey);
    } while (cursor && found.length < limit);
    return found;
  }

  async linkCitizenExchange(citizen: string, record: ExchangeRecord): Promise<void> {
    await this.#put(
      {
        ...keys.citizenExchange(citizen, record.answeredAt, record.exchangeId),
        itemType: 'citizenExchange',
        ...record,
      },
      'linkCitizenExchange',
      true,
    );
  }

  async listCitizenExchanges(
    citizen: string,
    options: { limit?: number; cursor?: string } = {},
  ): Promise<Page<ExchangeRecord>> {
    const out = await this.#query('listCitizenExchanges', citizenPartition(citizen), 'EXCH#', {
      limit: options.limit ?? 50,
      ...(options.cursor ? { cursor: options.cursor } : {}),
    });
    const cursor = encodeCursor(out.LastEvaluatedKey);
    return {
      items: (out.Items ?? []).map((i) => stripKeys<ExchangeRecord>(i)),
      ...(cursor ? { cursor } : {}),
    };
  }

  async putOneTimeCode(record: OneTimeCodeRecord): Promise<void> {
    await this.#put(
      {
        ...keys.oneTimeCode(record.citizenKey, record.phoneKey),
        itemType: 'oneTimeCode',
        ...record,
        expiresAt: Math.ceil(record.validUntil / 1000) + 3600,
      },
      'putOneTimeCode',
    );
  }

  async useOneTimeCode(
    citizen: string,
    phone: string,
    codeHash: string,
    nowMs: number,
    maxAttempts: number,
  ): Promise<boolean> {
    const Key = keys.oneTimeCode(citizen, phone);
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key,
          UpdateExpression: 'SET usedAt = :now',
          ConditionExpression:
            'codeHash = :h AND validUntil > :now AND attribute_not_exists(usedAt) AND attempts < :max',
          ExpressionAttributeValues: { ':h': codeHash, ':now': nowMs, ':max': maxAttempts },
        }),
      );
      return true;
    } catch (error) {
      if (!isConditionalCheckFailed(error)) return mapAwsError(error, 'useOneTimeCode');
    }
    // A wrong (or late, or spent) code: one more attempt on the pair's code, if there is one.
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key,
          UpdateExpression: 'ADD attempts :one',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':one': 1 },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) return mapAwsError(error, 'useOneTimeCode');
    }
    return false;
  }

  async countAbolishedDemand(entry: {
    month: string;
    body: string;
    kind: string;
    counter: 'declined' | 'upheldComplaints';
    at: string;
  }): Promise<void> {
    for (const period of [entry.month, 'ALL']) {
      await this.#t.send('countAbolishedDemand', () =>
        this.doc.send(
          new UpdateCommand({
            TableName: this.table,
            Key: keys.demandCounter(period, entry.body, entry.kind),
            UpdateExpression: 'ADD #c :one SET #b = :b, #k = :k, itemType = :t, lastAt = :at',
            ExpressionAttributeNames: { '#c': entry.counter, '#b': 'body', '#k': 'kind' },
            ExpressionAttributeValues: {
              ':one': 1,
              ':b': entry.body,
              ':k': entry.kind,
              ':t': 'demand',
              ':at': entry.at,
            },
          }),
        ),
      );
    }
  }

  async listAbolishedDemands(period: string): Promise<AbolishedDemandCount[]> {
    const counts: AbolishedDemandCount[] = [];
    let cursor: string | undefined;
    do {
      const out = await this.#query('listAbolishedDemands', demandPartition(period), undefined, {
        forward: true,
        ...(cursor ? { cursor } : {}),
      });
      for (const item of out.Items ?? []) {
        counts.push({
          body: String(item.body),
          kind: String(item.kind),
          declined: Number(item.declined ?? 0),
          upheldComplaints: Number(item.upheldComplaints ?? 0),
          lastAt: String(item.lastAt),
        });
      }
      cursor = encodeCursor(out.LastEvaluatedKey);
    } while (cursor);
    return counts;
  }

  async putAbolishedDemandReport(record: AbolishedDemandReportRecord): Promise<AbolishedDemandReportRecord> {
    const created = await this.#put(
      { ...keys.demandReport(record.month), itemType: 'demandReport', ...record },
      'putAbolishedDemandReport',
      true,
    );
    if (created) return record;
    return (await this.getAbolishedDemandReport(record.month)) ?? record;
  }

  async getAbolishedDemandReport(month: string): Promise<AbolishedDemandReportRecord | undefined> {
    const out = await this.#t.send('getAbolishedDemandReport', () =>
      this.doc.send(
        new GetCommand({ TableName: this.table, Key: keys.demandReport(month), ConsistentRead: true }),
      ),
    );
    return out.Item ? stripKeys<AbolishedDemandReportRecord>(out.Item) : undefined;
  }

  async markAbolishedDemandReportSent(month: string, recipient: string): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.demandReport(month),
          UpdateExpression: 'SET sentTo = list_append(sentTo, :r)',
          ConditionExpression: 'attribute_exists(pk) AND NOT contains(sentTo, :one)',
          ExpressionAttributeValues: { ':r': [recipient], ':one': recipient },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) mapAwsError(error, 'markAbolishedDemandReportSent');
    }
  }
}
