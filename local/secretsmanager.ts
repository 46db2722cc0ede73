/**
 * Local Secrets Manager: the part of the Secrets Manager JSON protocol (`X-Amz-Target:
 * secretsmanager.<Action>`, `application/x-amz-json-1.1`) that certflow uses — CreateSecret,
 * GetSecretValue, PutSecretValue, DescribeSecret — on 127.0.0.1, so the handlers read the department
 * secrets through the same `@aws-sdk/client-secrets-manager` + Powertools Parameters code path as on AWS
 * (endpoint from `AWS_ENDPOINT_URL_SECRETS_MANAGER`, or the client the stack builds), and `npm run admin`
 * writes them the same way. Secrets are kept in `file` (mode 0600, written atomically) or in memory;
 * only the current version (`AWSCURRENT`) is kept. Errors are Secrets Manager's (`__type`
 * ResourceNotFoundException, ResourceExistsException, InvalidRequestException), status 400.
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
import { writeJsonAtomic } from './credentials.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './dynamodb.ts';

export interface LocalSecretsManager {
  url: string;
  client: SecretsManagerClient;
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
 * restarts (none: in memory).
 */
export async function start(options: { port?: number; file?: string } = {}): Promise<LocalSecretsManager> {
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
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const target = String(req.headers['x-amz-target'] ?? '');
    const action = actions[target.replace(/^secretsmanager\./, '')];
    try {
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
      answer(res, 200, await action(input as Record<string, unknown>));
    } catch (error) {
      if (error instanceof ServiceError) answer(res, 400, { __type: error.type, message: error.message });
      else answer(res, 500, { __type: 'InternalServiceError', message: 'internal error' });
    }
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
  return {
    url,
    client,
    async end() {
      client.destroy();
      await writing;
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
