/**
 * aws-sdk-client-mock at the level the store's adapters speak: lib-dynamodb commands (PutCommand,
 * GetCommand, ...) with plain JS items. The adapters send those through shared/store/plain-document.ts,
 * which marshals them onto the plain client's commands (PutItemCommand, ...); this helper mocks the plain
 * `DynamoDBClient` and converts at the boundary, so a test states documents and sees documents:
 *   - `on(GetCommand).resolves({ Item })` answers GetItem with the item marshalled;
 *   - `callsFake(fn)` gets the document input (keys and expression values unmarshalled);
 *   - `commandCalls(PutCommand)` lists the plain calls with their inputs unmarshalled.
 * The wire side stays visible through `raw` (e.g. Powertools' idempotency records, which are plain calls).
 */
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  QueryCommand as PlainQueryCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';

type Doc = Record<string, unknown>;
type DocCommand =
  | typeof PutCommand
  | typeof GetCommand
  | typeof QueryCommand
  | typeof UpdateCommand
  | typeof DeleteCommand
  | typeof BatchGetCommand
  | typeof BatchWriteCommand;
type Behaviour = { resolve: Doc } | { reject: unknown } | { fake: (input: never) => unknown };

const PLAIN = new Map<DocCommand, new (input: never) => unknown>([
  [PutCommand, PutItemCommand],
  [GetCommand, GetItemCommand],
  [QueryCommand, PlainQueryCommand],
  [UpdateCommand, UpdateItemCommand],
  [DeleteCommand, DeleteItemCommand],
  [BatchGetCommand, BatchGetItemCommand],
  [BatchWriteCommand, BatchWriteItemCommand],
]);
const INPUT_DOCS = ['Item', 'Key', 'ExpressionAttributeValues', 'ExclusiveStartKey'];
const OUTPUT_DOCS = ['Item', 'Attributes', 'LastEvaluatedKey'];

function docInput(wire: Doc): Doc {
  const out = { ...wire };
  for (const f of INPUT_DOCS) if (out[f] !== undefined) out[f] = unmarshall(out[f] as never);
  if (out.RequestItems !== undefined) {
    const requests = out.RequestItems as Record<string, { Keys?: Doc[] } | Doc[]>;
    // BatchGetItem: { Keys } per table; BatchWriteItem: [{ PutRequest: { Item } } | { DeleteRequest: { Key } }].
    const writeDoc = (w: Doc) =>
      w.PutRequest
        ? { PutRequest: { Item: unmarshall((w.PutRequest as Doc).Item as never) } }
        : { DeleteRequest: { Key: unmarshall((w.DeleteRequest as Doc).Key as never) } };
    out.RequestItems = Object.fromEntries(
      Object.entries(requests).map(([t, r]) => [
        t,
        Array.isArray(r)
          ? r.map(writeDoc)
          : { ...r, Keys: (r.Keys ?? []).map((k) => unmarshall(k as never)) },
      ]),
    );
  }
  return out;
}

function wireOutput(doc: Doc | undefined): Doc {
  const out: Doc = { ...doc };
  for (const f of OUTPUT_DOCS) {
    if (out[f] === undefined) delete out[f];
    else out[f] = marshall(out[f] as Doc, { removeUndefinedValues: true });
  }
  if (out.Responses !== undefined) {
    const responses = out.Responses as Record<string, Doc[]>;
    out.Responses = Object.fromEntries(
      Object.entries(responses).map(([t, items]) => [
        t,
        items.map((i) => marshall(i, { removeUndefinedValues: true })),
      ]),
    );
  }
  if (Array.isArray(out.Items))
    out.Items = out.Items.map((i: Doc) => marshall(i, { removeUndefinedValues: true }));
  return out;
}

/** The behaviours of one document command: one-shot ones first, then the standing one. */
class Behaviours {
  readonly once: Behaviour[] = [];
  standing: Behaviour | undefined;

  async run(wire: Doc): Promise<Doc> {
    const b = this.once.shift() ?? this.standing;
    if (!b) return {};
    if ('reject' in b) throw b.reject;
    if ('resolve' in b) return wireOutput(b.resolve);
    return wireOutput((await b.fake(docInput(wire) as never)) as Doc);
  }
}

/** The chain `on(...)` returns (the subset of aws-sdk-client-mock's the tests use). */
export interface DocumentBehaviour {
  resolves(output: Doc): DocumentBehaviour;
  resolvesOnce(output: Doc): DocumentBehaviour;
  rejects(error: unknown): DocumentBehaviour;
  rejectsOnce(error: unknown): DocumentBehaviour;
  callsFake(fn: (input: never) => unknown): DocumentBehaviour;
}

export interface DocumentMock {
  /** The plain client's mock (what goes on the wire). */
  raw: PlainMock;
  on(command: DocCommand): DocumentBehaviour;
  /** The plain calls that `command` stands for, inputs unmarshalled. */
  commandCalls<C extends DocCommand>(command: C): { args: [{ input: InstanceType<C>['input'] }] }[];
  reset(): void;
}

const mockPlain = () => mockClient(DynamoDBClient);
/** aws-sdk-client-mock's stub of the plain client. */
export type PlainMock = ReturnType<typeof mockPlain>;

/** Mocks `DynamoDBClient` (or takes the test's existing mock of it) and speaks documents; see the module doc. */
export function mockDocumentCalls(raw: PlainMock = mockPlain()): DocumentMock {
  let table = new Map<DocCommand, Behaviours>();
  const behaviours = (command: DocCommand) => {
    let b = table.get(command);
    if (!b) {
      b = new Behaviours();
      table.set(command, b);
      const target = b;
      raw.on(PLAIN.get(command)! as never).callsFake((wire: Doc) => target.run(wire));
    }
    return b;
  };
  const mock: DocumentMock = {
    raw,
    on(command) {
      const b = behaviours(command);
      const chain: DocumentBehaviour = {
        resolves(output) {
          b.standing = { resolve: output };
          return chain;
        },
        resolvesOnce(output) {
          b.once.push({ resolve: output });
          return chain;
        },
        rejects(error) {
          b.standing = { reject: error };
          return chain;
        },
        rejectsOnce(error) {
          b.once.push({ reject: error });
          return chain;
        },
        callsFake(fn) {
          b.standing = { fake: fn };
          return chain;
        },
      };
      return chain;
    },
    commandCalls(command) {
      return raw
        .commandCalls(PLAIN.get(command)! as never)
        .map((c) => ({ args: [{ input: docInput((c.args[0] as { input: Doc }).input) as never }] }));
    },
    reset() {
      raw.reset();
      table = new Map();
    },
  };
  return mock;
}
