/**
 * `@smithy/core/event-streams` in every bundle (infra/bundling.ts): none of certflow's AWS SDK clients
 * (DynamoDB, Step Functions, SNS, Scheduler, SSM, Secrets Manager) has an event-stream operation, yet each
 * protocol's `import("@smithy/core/event-streams")` inlined the codec (14 KB minified) into every bundle.
 * A client that does stream (Kinesis SubscribeToShard, Bedrock's streaming calls …) would fail here loudly
 * — then drop this alias.
 */
import { absentClass } from './absent.ts';

export const EventStreamSerde = absentClass('@smithy/core/event-streams', 'EventStreamSerde', '(none)');
export const eventStreamSerdeProvider = () => {
  throw new (absentClass('@smithy/core/event-streams', 'eventStreamSerdeProvider', '(none)'))();
};
