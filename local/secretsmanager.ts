/**
 * Local Secrets Manager: the part of the Secrets Manager JSON protocol (`X-Amz-Target:
 * secretsmanager.<Action>`, `application/x-amz-json-1.1`) that certflow's tools use — CreateSecret,
 * GetSecretValue, PutSecretValue, DescribeSecret — on 127.0.0.1, so `npm run admin` and the stack write
 * secrets as on AWS; and, on the same store, the AWS Parameters and Secrets Lambda Extension's
 * `GET /secretsmanager/get?secretId=…` (header `X-Aws-Parameters-Secrets-Token`; GetSecretValue's JSON),
 * so the handlers read every secret through the same code path as on AWS (functions/edge/secrets-extension.ts,
 * base URL from `CERTFLOW_SECRETS_EXTENSION_URL` or the reader the stack builds). Unlike the extension it
 * keeps no cache: a change is read at once (the functions' own memory aside). Secrets are kept in `file` (mode 0600, written atomically) or in memory;
 * only the current version (`AWSCURRENT`) is kept. Errors are Secrets Manager's (`__type`
 * ResourceNotFoundException, ResourceExistsException, InvalidRequestException), status 400; the GET
 * refuses a request without the token header (or, with `sessionToken`, with another one) with 403, as the
 * Secrets Manager Agent (github.com/aws/aws-secretsmanager-agent, server.rs `validate_token`), the
 * extension's open-source counterpart, does, and answers a Secrets Manager error with 400 and its JSON.
 *
 * Not a general emulator: no rotation, no resource policies, no version stages beyond AWSCURRENT, no KMS.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateSecretCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { ExtensionSecretReader, SECRETS_EXTENSION_TOKEN_HEADER } from '#functions/edge/secrets-extension.ts';
import { writeJsonAtomic } from './credentials.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './dynamodb.ts';

export interface LocalSecretsManager {
  url: string;
  client: SecretsManagerClient;
  /** A reader of the extension's GET on this service (the token `sessionToken`, else `local`). */
  extension: ExtensionSecretReader;
  end(): Promise<void>;
}

interface StoredSecret {
  arn: string;
  description?: string;
  versionId: string;
  secretString: string;
  changedAt: number;
}

class ServiceError extends Error {
  constructor(
    readonly type: 'ResourceNotFoundException' | 'ResourceExistsException' | 'InvalidRequestException',
    message: string,
  ) {
    super(message);
    this.name = type;
  }
}

const ACCOUNT = '000000000000';

/** The ARN a secret of `name` gets (Secrets Manager appends six random characters). */
function arnOf(name: string): string {
  const suffix = randomUUID().replaceAll('-', '').slice(0, 6);
  return `arn:aws:secretsmanager:${LOCAL_REGION}:${ACCOUNT}:secret:${name}-${suffix}`;
}

/** A client of the local service (any credentials; region cn-north-1). */
export function localSecretsClient(url: string): SecretsManagerClient {
  return new SecretsManagerClient({
    endpoint: url,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 3,
  });
}

/** Sets the secret `name` to `value` (PutSecretValue), creating it first if it does not exist yet. */
export async function putSecret(client: SecretsManagerClient, name: string, value: string): Promise<void> {
  try {
    await client.send(new PutSecretValueCommand({ SecretId: name, SecretString: value }));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    await client.send(new CreateSecretCommand({ Name: name, SecretString: value }));
  }
}

async function load(file: string | undefined): Promise<Map<string, StoredSecret>> {
  if (!file) return new Map();
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as { secrets: Record<string, StoredSecret> };
    return new Map(Object.entries(parsed.secrets));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw error;
  }
}

function text(input: Record<string, unknown>, field: string): string {
  const value = input[field];
  if (typeof value !== 'string' || value === '')
    throw new ServiceError('InvalidRequestException', `${field} is required`);
  return value;
}

/**
 * Starts the service on 127.0.0.1:`port` (0: any free port). `file`: where secrets are kept across
 * restarts (none: in memory). `sessionToken`: the only token the extension's GET accepts (none: any
 * non-empty one, as the stack's functions share no Lambda session).
 */
export async function start(
  options: { port?: number; file?: string; sessionToken?: string } = {},
): Promise<LocalSecretsManager> {
  const secrets = await load(options.file);
  let writing = Promise.resolve();
  const save = () => {
    const file = options.file;
    if (!file) return Promise.resolve();
    writing = writing.then(() => writeJsonAtomic(file, { secrets: Object.fromEntries(secrets) }));
    return writing;
  };
  const find = (id: string): [string, StoredSecret] => {
    for (const [name, secret] of secrets) if (name === id || secret.arn === id) return [name, secret];
    throw new ServiceError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
  };
  const actions: Record<string, (input: Record<string, unknown>) => Promise<unknown>> = {
    async CreateSecret(input) {
      const name = text(input, 'Name');
      if (secrets.has(name))
        throw new ServiceError('ResourceExistsException', `The secret ${name} already exists.`);
      const secret: StoredSecret = {
        arn: arnOf(name),
        versionId: typeof input.ClientRequestToken === 'string' ? input.ClientRequestToken : randomUUID(),
        secretString: text(input, 'SecretString'),
        changedAt: Date.now(),
        ...(typeof input.Description === 'string' ? { description: input.Description } : {}),
      };
      secrets.set(name, secret);
      await save();
      return { ARN: secret.arn, Name: name, VersionId: secret.versionId };
    },
    async GetSecretValue(input) {
      const [name, secret] = find(text(input, 'SecretId'));
      return {
        ARN: secret.arn,
        Name: name,
        VersionId: secret.versionId,
        SecretString: secret.secretString,
        VersionStages: ['AWSCURRENT'],
        CreatedDate: secret.changedAt / 1000,
      };
    },
    async PutSecretValue(input) {
      const [name, secret] = find(text(input, 'SecretId'));
      secret.secretString = text(input, 'SecretString');
      secret.versionId =
        typeof input.ClientRequestToken === 'string' ? input.ClientRequestToken : randomUUID();
      secret.changedAt = Date.now();
      await save();
      return { ARN: secret.arn, Name: name, VersionId: secret.versionId, VersionStages: ['AWSCURRENT'] };
    },
    async DescribeSecret(input) {
      const [name, secret] = find(text(input, 'SecretId'));
      return {
        ARN: secret.arn,
        Name: name,
        LastChangedDate: secret.changedAt / 1000,
        ...(secret.description ? { Description: secret.description } : {}),
      };
    },
  };

  const answer = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
    res.end(JSON.stringify(body));
  };
  // `work`'s body with a 200; a ServiceError as a 400 with its type and message, anything else a 500.
  const respond = async (res: ServerResponse, work: () => Promise<unknown>) => {
    try {
      answer(res, 200, await work());
    } catch (error) {
      if (error instanceof ServiceError) answer(res, 400, { __type: error.type, message: error.message });
      else answer(res, 500, { __type: 'InternalServiceError', message: 'internal error' });
    }
  };
  // The extension's GET: the token header first (as the extension), then GetSecretValue on the store.
  const extensionGet = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const token = req.headers[SECRETS_EXTENSION_TOKEN_HEADER.toLowerCase()];
    if (
      typeof token !== 'string' ||
      token === '' ||
      (options.sessionToken !== undefined && token !== options.sessionToken)
    ) {
      res.writeHead(403, { 'content-type': 'text/plain' });
      res.end('Bad Token');
      return;
    }
    await respond(res, async () => {
      const secretId = url.searchParams.get('secretId');
      if (!secretId) throw new ServiceError('InvalidRequestException', 'secretId is required');
      return actions.GetSecretValue!({ SecretId: secretId });
    });
  };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/secretsmanager/get') {
      if (req.method !== 'GET') {
        res.writeHead(405, { 'content-type': 'text/plain' });
        res.end('Not allowed');
        return;
      }
      await extensionGet(req, res, url);
      return;
    }
    const target = String(req.headers['x-amz-target'] ?? '');
    const action = actions[target.replace(/^secretsmanager\./, '')];
    await respond(res, async () => {
      if (req.method !== 'POST' || !target.startsWith('secretsmanager.') || !action)
        throw new ServiceError('InvalidRequestException', `unsupported operation ${target || '(none)'}`);
      let input: unknown;
      try {
        input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      } catch {
        throw new ServiceError('InvalidRequestException', 'the body is not JSON');
      }
      if (typeof input !== 'object' || input === null)
        throw new ServiceError('InvalidRequestException', 'the body is not a JSON object');
      return action(input as Record<string, unknown>);
    });
  };

  const server = createServer((req, res) => {
    void handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = localSecretsClient(url);
  const extension = new ExtensionSecretReader({
    baseUrl: url,
    sessionToken: () => options.sessionToken ?? 'local',
  });
  return {
    url,
    client,
    extension,
    async end() {
      client.destroy();
      await writing;
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
