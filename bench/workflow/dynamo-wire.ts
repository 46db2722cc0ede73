/**
 * The benches' view of the stack's DynamoDB calls on the wire: every `DynamoDBClient.send` in this process
 * (the functions hold their own copies of the stack's deps, so a proxy on `stack.deps.store` sees nothing
 * of theirs). Used by count-calls.ts (calls per request) and run.ts (operations and capacity units per path).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** The bench's own calls (its polling for a result): `benchOwn.run(true, poll)` keeps them out of every tap. */
export const benchOwn = new AsyncLocalStorage<true>();

/** A sent command as a tap sees it: the operation (`PutItem`, `BatchWriteItem`…) and its input, which `before` may change. */
export interface WireCall {
  op: string;
  input: Record<string, unknown>;
}

/**
 * Calls `tap.before(call)` before and `tap.after(call, output)` after every DynamoDB command sent in this
 * process outside `benchOwn`, until the returned function is called (which puts `send` back).
 */
export function tapDynamoSend(tap: {
  before?(call: WireCall): void;
  after?(call: WireCall, output: Record<string, unknown>): void;
}): () => void {
  const send = DynamoDBClient.prototype.send;
  DynamoDBClient.prototype.send = async function (this: DynamoDBClient, command: never, ...rest: never[]) {
    const c = command as { constructor: { name: string }; input: Record<string, unknown> };
    const call = benchOwn.getStore()
      ? undefined
      : { op: c.constructor.name.replace(/Command$/, ''), input: c.input };
    if (call) tap.before?.(call);
    const output = (await (send as (...a: unknown[]) => Promise<unknown>).call(
      this,
      command,
      ...rest,
    )) as Record<string, unknown>;
    if (call) tap.after?.(call, output);
    return output as never;
  } as never;
  return () => {
    DynamoDBClient.prototype.send = send;
  };
}
