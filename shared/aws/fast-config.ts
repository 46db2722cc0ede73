/**
 * AWS SDK v3 clients with their resolved configuration in V8's fast-properties mode.
 *
 * A client's `config` is built by a chain of resolvers (`resolveRetryConfig`, `resolveEndpointConfig`, …)
 * that each add keys with keyed stores (`Object.assign`); past a dozen such keys V8 keeps the object as a
 * hash table ("dictionary mode"). Three middlewares of every call then copy it whole: the schema
 * serializer and deserializer (`{ ...config, ...context }`, @smithy/core `schema`) and the endpoint
 * middleware (`{ ...config }`, @smithy/core `endpoints`). Copying a 50-key dictionary-mode object costs
 * ≈ 9 µs of CPU, a fast one ≈ 1 µs: on this SDK (@smithy/core 3.x), `npx tsx bench/workflow/sdk-calls.ts`
 * measured 59 → 32 µs of CPU per call (PutItem, GetItem) against an in-memory responder.
 *
 * `withFastConfig` turns the same object (the middlewares hold it, so a copy cannot replace it) back into
 * fast mode with the library `to-fast-properties` (V8 makes an object fast once it is used as a prototype
 * and read through an inline cache). Keys and values do not change; later writes (the SDK sets
 * `systemClockOffset` on clock skew) keep working.
 */
import toFastProperties from 'to-fast-properties';

/**
 * The client itself, its `config` made fast (see the module comment). Used for the clients called per
 * request: the Lambda deps' DynamoDB, Step Functions, Scheduler and SNS clients and the local stack's
 * DynamoDB and Step Functions clients: `withFastConfig(new DynamoDBClient({}))`.
 */
export function withFastConfig<C extends { config: object }>(client: C): C {
  toFastProperties(client.config);
  return client;
}
