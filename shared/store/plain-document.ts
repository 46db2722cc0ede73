/**
 * The document calls of certflow's store (`@aws-sdk/lib-dynamodb` command objects: Put, Get, Query, Scan,
 * Update, Delete, BatchGet, BatchWrite) carried out on the plain DynamoDB client: the input's items, keys and
 * expression values are marshalled with `@aws-sdk/util-dynamodb`, the output's unmarshalled, and the
 * plain command (PutItem, GetItem, ...) is sent. The wire requests are the ones the document client makes
 * (same marshalling options), so the adapters run the same DynamoDB calls on AWS and locally.
 *
 * Why not `DynamoDBDocumentClient`: it resolves a fresh middleware stack for each call (it refuses
 * `cacheMiddleware`) and wraps every command twice; measured ~115 µs of CPU more per call on the local
 * stack (bench/workflow/store-clients.ts, bench/PERF-NOTES.md).
 */
import {
  type AttributeValue,
  BatchGetItemCommand,
  BatchWriteItemCommand,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  QueryCommand as PlainQueryCommand,
  ScanCommand as PlainScanCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';

/** What the store's adapters call: `send` of a lib-dynamodb command, resolving to its document output. */
export type DocumentCalls = Pick<DynamoDBDocumentClient, 'send'>;

/** The store's marshalling policy: `undefined` attributes dropped, empty strings kept as they are. */
export const MARSHALL_OPTIONS = { removeUndefinedValues: true, convertEmptyValues: false } as const;

type Doc = Record<string, unknown>;
type Wire = Record<string, AttributeValue>;

const m = (doc: Doc): Wire => marshall(doc, MARSHALL_OPTIONS);
const u = (wire: Wire): Doc => unmarshall(wire);
const uOpt = (wire: Wire | undefined): Doc | undefined => (wire === undefined ? undefined : u(wire));

/** Copies `input`, marshalling the named document fields that are present. */
function wireInput(input: Doc, fields: readonly string[]): Doc {
  const out: Doc = { ...input };
  for (const f of fields) if (out[f] !== undefined) out[f] = m(out[f] as Doc);
  return out;
}

/** Copies `output`, unmarshalling the named wire fields that are present (lists of items for `Items`). */
function docOutput<T extends object>(output: T, fields: readonly string[]): T {
  const out = { ...output } as Doc;
  for (const f of fields) {
    const v = out[f];
    if (v === undefined) continue;
    out[f] = Array.isArray(v) ? v.map((w: Wire) => u(w)) : u(v as Wire);
  }
  return out as T;
}

type WriteRequest = { PutRequest?: { Item: Doc }; DeleteRequest?: { Key: Doc } };
type WireWriteRequest = { PutRequest?: { Item?: Wire }; DeleteRequest?: { Key?: Wire } };

function wireWrites(requests: Record<string, WriteRequest[]>): Record<string, WireWriteRequest[]> {
  return Object.fromEntries(
    Object.entries(requests).map(([table, list]) => [
      table,
      list.map((r) => ({
        ...(r.PutRequest ? { PutRequest: { Item: m(r.PutRequest.Item) } } : {}),
        ...(r.DeleteRequest ? { DeleteRequest: { Key: m(r.DeleteRequest.Key) } } : {}),
      })),
    ]),
  );
}

function docWrites(requests: Record<string, WireWriteRequest[]> | undefined) {
  if (!requests) return undefined;
  return Object.fromEntries(
    Object.entries(requests).map(([table, list]) => [
      table,
      list.map((r) => ({
        ...(r.PutRequest ? { PutRequest: { Item: uOpt(r.PutRequest.Item) } } : {}),
        ...(r.DeleteRequest ? { DeleteRequest: { Key: uOpt(r.DeleteRequest.Key) } } : {}),
      })),
    ]),
  );
}

const VALUES = ['ExpressionAttributeValues'] as const;

/**
 * Sends `command` (a lib-dynamodb command) on `client` as the plain command it stands for.
 * Resolves to the document output (items unmarshalled, numbers as JS numbers); AWS errors are thrown as
 * the plain client throws them (same names, e.g. ConditionalCheckFailedException).
 * Throws TypeError for a lib-dynamodb command this layer does not carry (add it here when needed).
 */
async function sendPlain(client: DynamoDBClient, command: unknown): Promise<unknown> {
  if (command instanceof PutCommand) {
    const out = await client.send(new PutItemCommand(wireInput(command.input, ['Item', ...VALUES]) as never));
    return docOutput(out, ['Attributes']);
  }
  if (command instanceof GetCommand) {
    const out = await client.send(new GetItemCommand(wireInput(command.input, ['Key']) as never));
    return docOutput(out, ['Item']);
  }
  if (command instanceof QueryCommand) {
    const out = await client.send(
      new PlainQueryCommand(wireInput(command.input, ['ExclusiveStartKey', ...VALUES]) as never),
    );
    return docOutput(out, ['Items', 'LastEvaluatedKey']);
  }
  if (command instanceof UpdateCommand) {
    const out = await client.send(
      new UpdateItemCommand(wireInput(command.input, ['Key', ...VALUES]) as never),
    );
    return docOutput(out, ['Attributes']);
  }
  if (command instanceof DeleteCommand) {
    const out = await client.send(
      new DeleteItemCommand(wireInput(command.input, ['Key', ...VALUES]) as never),
    );
    return docOutput(out, ['Attributes']);
  }
  if (command instanceof ScanCommand) {
    const out = await client.send(
      new PlainScanCommand(wireInput(command.input, ['ExclusiveStartKey', ...VALUES]) as never),
    );
    return docOutput(out, ['Items', 'LastEvaluatedKey']);
  }
  if (command instanceof BatchGetCommand) {
    type Reads = Record<string, { Keys?: Doc[] } & Doc>;
    type WireReads = Record<string, { Keys?: Wire[] } & Doc>;
    const input = command.input as { RequestItems: Reads };
    const requests = Object.fromEntries(
      Object.entries(input.RequestItems).map(([table, r]) => [table, { ...r, Keys: (r.Keys ?? []).map(m) }]),
    );
    const out = await client.send(
      new BatchGetItemCommand({ ...command.input, RequestItems: requests } as never),
    );
    const unprocessed = out.UnprocessedKeys as WireReads | undefined;
    return {
      ...out,
      Responses: out.Responses
        ? Object.fromEntries(Object.entries(out.Responses).map(([table, items]) => [table, items.map(u)]))
        : undefined,
      UnprocessedKeys: unprocessed
        ? Object.fromEntries(
            Object.entries(unprocessed).map(([table, r]) => [table, { ...r, Keys: (r.Keys ?? []).map(u) }]),
          )
        : undefined,
    };
  }
  if (command instanceof BatchWriteCommand) {
    const input = command.input as { RequestItems: Record<string, WriteRequest[]> };
    const out = await client.send(
      new BatchWriteItemCommand({ ...command.input, RequestItems: wireWrites(input.RequestItems) } as never),
    );
    return { ...out, UnprocessedItems: docWrites(out.UnprocessedItems as never) };
  }
  throw new TypeError(`plain-document: ${(command as object)?.constructor?.name} is not carried`);
}

/**
 * The store's document calls over `client` (see the module doc). Give it a client made with
 * `cacheMiddleware: true` where it can be (the local stack's `rawClient`): the plain commands' middleware
 * is then resolved once per command type.
 */
export function plainDocumentCalls(client: DynamoDBClient): DocumentCalls {
  return { send: ((command: unknown) => sendPlain(client, command)) as DocumentCalls['send'] };
}
