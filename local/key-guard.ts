/**
 * `dynamodb:LeadingKeys` on the local stack (issue 18): IAM is not there, so this middleware on the
 * stack's DynamoDB client plays its part for the functions whose `access.keys` lists partition-key
 * prefixes (functions/function-list.ts; infra/constructs/certflow-function.ts turns the same list into a
 * `ForAllValues:StringLike` condition). A call made by such a function (the function is known from the
 * AsyncLocalStorage local/functions.ts runs each invocation in) whose partition-key values do not all
 * match is refused with an AccessDeniedException, as AWS would — so every e2e test that drives the function
 * checks its list, and a store change that touches a new prefix fails here before it fails on AWS.
 *
 * The partition-key values of a call: `Key`/`Item` `pk` (GetItem, PutItem, UpdateItem, DeleteItem), each
 * request of a BatchWriteItem/BatchGetItem, and the partition-key equality of a Query's
 * KeyConditionExpression (on an index: the index's partition key, which is what the condition is
 * evaluated on for index queries). A Scan has none and is refused to such a function (IAM would too).
 * The call's action is checked too when the guard is given the function's table actions (the same list
 * infra/constructs/permissions.ts `tableActionsOf` grants on AWS): a GetItem by a function without table
 * access, a BatchWriteItem without `access.batchWrites`, a DeleteItem without `access.deletes` is refused
 * as IAM would refuse it.
 * Every call's partition-key prefixes (the value up to its first `#`, e.g. `REQ#`) are also recorded per
 * function (`used`), for the tests that list them and CERTFLOW_RECORD_LEADING_KEYS (local/stack.ts); the
 * prefixes, not the values, so the record stays a handful of strings however long the stack runs.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { certflowTable } from '#shared/store/table-definition.ts';
import { FUNCTION_NAME, invokeStore } from './invoke-store.ts';

/**
 * The function the current invocation belongs to: its name in the invocation's InvokeStore context
 * (local/functions.ts sets it with the request id). `run` starts such a context (tests).
 */
export const invokingFunction = {
  getStore: (): string | undefined => invokeStore.get<string>(FUNCTION_NAME),
  run: <T>(name: string, fn: () => T): T => invokeStore.run({ [FUNCTION_NAME]: name }, fn),
};

export class LeadingKeysDeniedError extends Error {
  override name = 'AccessDeniedException';
}

/** A key value as the base client (`{ S }`) or a document client (plain string) passes it. */
type AttributeValue = { S?: string } | string;
const text = (v: AttributeValue | undefined) => (typeof v === 'string' ? v : v?.S);
type Input = Record<string, unknown>;

/** The partition-key values a DynamoDB call touches (undefined: it cannot name them, e.g. Scan). */
export function leadingKeysOf(command: string, input: Input): string[] | undefined {
  const pk = certflowTable.partitionKey.name;
  const pkOf = (item: unknown) => text((item as Record<string, AttributeValue> | undefined)?.[pk]);
  const present = (values: (string | undefined)[]) => values.filter((v): v is string => v !== undefined);
  // The document client's commands (GetCommand…) and the base client's (GetItemCommand…) alike.
  switch (command.replace(/ItemCommand$/, 'Command')) {
    case 'GetCommand':
    case 'DeleteCommand':
    case 'UpdateCommand':
      return present([pkOf(input.Key)]);
    case 'PutCommand':
      return present([pkOf(input.Item)]);
    case 'BatchWriteCommand':
      return present(
        Object.values((input.RequestItems ?? {}) as Record<string, Input[]>)
          .flat()
          .map((r) =>
            pkOf((r.PutRequest as Input | undefined)?.Item ?? (r.DeleteRequest as Input | undefined)?.Key),
          ),
      );
    case 'BatchGetCommand':
      return present(
        Object.values((input.RequestItems ?? {}) as Record<string, { Keys?: unknown[] }>)
          .flatMap((r) => r.Keys ?? [])
          .map(pkOf),
      );
    case 'QueryCommand': {
      const index = certflowTable.globalSecondaryIndexes.find((i) => i.indexName === input.IndexName);
      const keyName = index ? index.partitionKey.name : pk;
      const names = (input.ExpressionAttributeNames ?? {}) as Record<string, string>;
      const values = (input.ExpressionAttributeValues ?? {}) as Record<string, AttributeValue>;
      for (const m of String(input.KeyConditionExpression ?? '').matchAll(/([#\w]+)\s*=\s*(:\w+)/g)) {
        const name = m[1]?.startsWith('#') ? names[m[1]] : m[1];
        if (name === keyName) return present([text(values[m[2] as string])]);
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** Each pattern's regular expression, made once (the patterns are the functions' fixed `access.keys`). */
const likeExpressions = new Map<string, RegExp>();

/** IAM's StringLike: `*` any run of characters, `?` one; everything else literal. */
export function stringLike(pattern: string, value: string): boolean {
  let expression = likeExpressions.get(pattern);
  if (!expression) {
    const re = pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    expression = new RegExp(`^${re}$`, 's');
    likeExpressions.set(pattern, expression);
  }
  return expression.test(value);
}

/** A partition-key value's prefix as `access.keys` names it: up to its first `#` (the whole value without). */
export function leadingPrefix(value: string): string {
  const at = value.indexOf('#');
  return at < 0 ? value : value.slice(0, at + 1);
}

/** The IAM action of a DynamoDB command (`PutItemCommand`, or a document client's `PutCommand`). */
export function dynamodbActionOf(command: string): string {
  const name = command.replace(/Command$/, '');
  const documentNames: Record<string, string> = {
    Get: 'GetItem',
    Put: 'PutItem',
    Update: 'UpdateItem',
    Delete: 'DeleteItem',
    BatchGet: 'BatchGetItem',
    BatchWrite: 'BatchWriteItem',
    TransactGet: 'TransactGetItems',
    TransactWrite: 'TransactWriteItems',
  };
  return `dynamodb:${documentNames[name] ?? name}`;
}

/**
 * Installs the guard on `client`: `allowed(name)` is the function's `access.keys` (undefined: no
 * condition, nothing refused); `actions(name)`, if given, the table actions its role is granted
 * (undefined: not checked). Returns what each function touched (partition-key prefixes, `leadingPrefix`), for tests.
 */
export function guardLeadingKeys(
  client: DynamoDBClient,
  allowed: (functionName: string) => readonly string[] | undefined,
  actions?: (functionName: string) => readonly string[] | undefined,
): { used: Map<string, Set<string>> } {
  const used = new Map<string, Set<string>>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const fn = invokingFunction.getStore();
      if (fn) {
        const command = String((context as { commandName?: string }).commandName ?? '');
        const keys = leadingKeysOf(command, args.input as Input);
        const seen = used.get(fn) ?? new Set<string>();
        used.set(fn, seen);
        for (const k of keys ?? []) seen.add(leadingPrefix(k));
        const granted = actions?.(fn);
        const action = dynamodbActionOf(command);
        if (granted && !granted.includes(action))
          throw new LeadingKeysDeniedError(
            `${fn} may not ${action}: its role is granted ${granted.join(', ') || 'no table action'}`,
          );
        const patterns = allowed(fn);
        if (patterns) {
          const denied =
            keys === undefined
              ? ['(no partition key)']
              : keys.filter((k) => !patterns.some((p) => stringLike(p, k)));
          if (denied.length > 0)
            throw new LeadingKeysDeniedError(
              `${fn} may not ${command.replace(/Command$/, '')} ${denied.join(', ')}: dynamodb:LeadingKeys allows ${patterns.join(', ')}`,
            );
        }
      }
      return next(args);
    },
    { step: 'initialize', name: 'certflowLeadingKeys' },
  );
  return { used };
}
