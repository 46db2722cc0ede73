/**
 * The Step Functions API over HTTP: the AWS JSON 1.0 protocol that `@aws-sdk/client-sfn` speaks
 * (`POST /`, `X-Amz-Target: AWSStepFunctions.<Operation>`, `application/x-amz-json-1.0`, timestamps as
 * epoch seconds, errors as `{ "__type": "...#Code", "message": "..." }` with `x-amzn-errortype`).
 * Requests are not signature-checked: any credentials work, as with other local emulators.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EngineLogger, StepFunctionsEngine } from './engine.ts';
import { SerializationException, SfnApiError, UnknownOperation, ValidationException } from './errors.ts';

/** Step Functions requests are small (payloads ≤ 256 KiB); refuse anything far beyond. */
const MAX_BODY = 2 * 1024 * 1024;

type Operation = (engine: StepFunctionsEngine, body: Record<string, unknown>) => Promise<unknown>;

// biome-ignore lint/suspicious/noExplicitAny: request bodies are checked by the engine
type Any = any;

const OPERATIONS: Record<string, Operation> = {
  CreateStateMachine: (e, b) => e.createStateMachine(b as Any),
  UpdateStateMachine: (e, b) => e.updateStateMachine(b as Any),
  DescribeStateMachine: (e, b) => e.describeStateMachine(b as Any),
  DescribeStateMachineForExecution: (e, b) => e.describeStateMachineForExecution(b as Any),
  ListStateMachines: (e, b) => e.listStateMachines(b as Any),
  DeleteStateMachine: (e, b) => e.deleteStateMachine(b as Any),
  StartExecution: (e, b) => e.startExecution(b as Any),
  DescribeExecution: (e, b) => e.describeExecution(b as Any),
  ListExecutions: (e, b) => e.listExecutions(b as Any),
  GetExecutionHistory: (e, b) => e.getExecutionHistory(b as Any),
  StopExecution: (e, b) => e.stopExecution(b as Any),
  SendTaskSuccess: (e, b) => e.sendTaskSuccess(b as Any),
  SendTaskFailure: (e, b) => e.sendTaskFailure(b as Any),
  SendTaskHeartbeat: (e, b) => e.sendTaskHeartbeat(b as Any),
};

/** Dates become epoch seconds, as the JSON protocol sends timestamps. */
function toWire(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(toWire);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toWire(v);
    return out;
  }
  return value;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        req.destroy();
        reject(new ValidationException(`The request body is larger than ${MAX_BODY} bytes`));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  extraHeaders: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.0',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
    ...extraHeaders,
  });
  res.end(text);
}

function sendError(res: ServerResponse, error: SfnApiError): void {
  send(
    res,
    error.statusCode,
    { __type: `com.amazonaws.swf.service.model.v20120823#${error.name}`, message: error.message },
    { 'x-amzn-errortype': error.name },
  );
}

export async function handle(
  engine: StepFunctionsEngine,
  req: IncomingMessage,
  res: ServerResponse,
  log: EngineLogger,
) {
  try {
    const target = String(req.headers['x-amz-target'] ?? '');
    const [prefix, name] = target.split('.');
    const op = prefix === 'AWSStepFunctions' && name ? OPERATIONS[name] : undefined;
    const text = await readBody(req);
    if (req.method !== 'POST' || !op)
      throw new UnknownOperation(`Unknown or unsupported operation: '${target}'`);
    let body: Record<string, unknown>;
    try {
      body = text.trim() === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
    } catch {
      throw new SerializationException('The request body is not valid JSON');
    }
    const result = await op(engine, body);
    send(res, 200, toWire(result));
  } catch (error) {
    try {
      if (error instanceof SfnApiError) sendError(res, error);
      else {
        log.error('stepfunctions: internal error', { error: String(error) });
        send(
          res,
          500,
          {
            __type: 'com.amazonaws.swf.service.model.v20120823#InternalFailure',
            message: 'Internal failure',
          },
          { 'x-amzn-errortype': 'InternalFailure' },
        );
      }
    } catch (sendFailure) {
      // e.g. the answer had started or the client went away: nothing left to tell it
      log.warn('stepfunctions: could not send an error answer', { error: String(sendFailure) });
      res.destroy();
    }
  }
}

export async function listen(
  engine: StepFunctionsEngine,
  host: string,
  port: number,
  log: EngineLogger,
): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    void handle(engine, req, res, log);
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return { server, url: `http://${host}:${address.port}` };
}
