/**
 * `npm start`: the local stack on one machine (see stack.ts for the start-up order and options.ts for
 * every option). Prints the base URL, the AWS-compatible endpoints and where the demo credentials are;
 * SIGINT / SIGTERM shut down cleanly, and the next start on the same data dir resumes every unfinished
 * request.
 */

import { TestClockDataDirError } from './clock.ts';
import { DataDirInUseError } from './lock.ts';
import { OptionError, resolveOptions, USAGE } from './options.ts';
import { StackOptionError, startLocalStack } from './stack.ts';

// A background task of an embedded service that fails must not take the whole stack down: log it.
process.on('unhandledRejection', (reason) => {
  console.error('certflow: unhandled rejection in a background task:', reason);
});

async function main(): Promise<void> {
  let options: ReturnType<typeof resolveOptions>;
  try {
    options = resolveOptions(process.argv.slice(2));
  } catch (error) {
    if (error instanceof OptionError) {
      console.error(`certflow: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  if (options.help) {
    console.log(USAGE);
    return;
  }
  let stack: Awaited<ReturnType<typeof startLocalStack>>;
  try {
    stack = await startLocalStack(options);
  } catch (error) {
    // What the user can fix (port taken, data dir in use, a test-clock data dir): one line, exit 2.
    if (
      error instanceof StackOptionError ||
      error instanceof DataDirInUseError ||
      error instanceof TestClockDataDirError
    ) {
      console.error(`certflow: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  const lines = [
    '',
    `certflow is running at ${stack.url}`,
    '',
    options.web === false ? '' : `  web pages        ${stack.url}/`,
    `  API              ${stack.url}/v1/   (health: ${stack.url}/healthz)`,
    `  DynamoDB         ${stack.endpoints.dynamodb}   (AWS_ENDPOINT_URL_DYNAMODB)`,
    `  Step Functions   ${stack.endpoints.stepfunctions}   (AWS_ENDPOINT_URL_SFN; state machine ${stack.stateMachineArn}, and complaint)`,
    `  Secrets Manager  ${stack.endpoints.secretsmanager}   (AWS_ENDPOINT_URL_SECRETS_MANAGER, and CERTFLOW_SECRETS_EXTENSION_URL for the extension's GET; certflow/local/department-secrets)`,
    `  OpenID issuer    ${stack.endpoints.oidc}   (staff sign-in on /console and /dashboard)`,
    `  data             ${options.inMemory ? 'in memory (nothing kept)' : stack.dataDir}`,
    `  credentials      ${stack.credentialsFile ?? '(in memory)'}`,
    `  department inbox ${stack.url}/_local/departments/NOTARY/inbox`,
    stack.testClock
      ? `  test clock       POST ${stack.url}/_local/clock {"advance":"PT36H"}  (now ${new Date(stack.clock.now()).toISOString()})`
      : '',
    stack.resumed > 0 ? `  resumed          ${stack.resumed} unfinished workflow execution(s)` : '',
    '',
    'Try:',
    `  curl -s ${stack.url}/v1/catalogue`,
    '  npm run certflow -- help',
    '',
    'Ctrl-C stops; the next npm start carries on where this one stopped.',
    '',
  ];
  console.log(lines.filter((l, i, all) => l !== '' || all[i - 1] !== '').join('\n'));
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping certflow…`);
    stack.end().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('certflow: shutdown failed', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error('certflow: could not start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
