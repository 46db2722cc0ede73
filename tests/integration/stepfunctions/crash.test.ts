/**
 * Crash tests of the engine on its DynamoDB store (crash-drill.ts; the child runs the service on dynalite).
 */
import { crashDrill } from './crash-drill.ts';

crashDrill({
  storage: (db) => ({ kind: 'dynamodb', client: db.client(), tableName: 'crash-sfn' }),
  killAfterMax: 8,
  killMsMax: 60,
  minKills: 3,
});
