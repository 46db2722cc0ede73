/**
 * Powertools Tracer, loaded only where it would trace. Importing `@aws-lambda-powertools/tracer` loads
 * the X-Ray SDK, whose context (cls-hooked) turns on a Node async hook with destroy tracking at import:
 * every promise of the process then pays for it (~8% of the local stack's main-thread CPU per
 * request, measured with --cpu-prof in bench:workflow), although Tracer switches itself off outside
 * Lambda. So the class is imported (top-level await) only when `tracingWanted()`; elsewhere `newTracer`
 * gives `DisabledTracer`, which behaves as a switched-off Tracer for everything the handlers use.
 *
 * The rule is Tracer's own (Tracer.setTracingEnabled, Powertools 2.x): on in a Lambda execution
 * environment (`AWS_EXECUTION_ENV` set, not Amplify's mock), not under SAM local (`AWS_SAM_LOCAL`), and
 * not with `POWERTOOLS_TRACE_ENABLED=false`. In the Lambda bundles of functions without `access.traces`
 * the package is a stand-in without `Tracer` (infra/bundle-shims/absent/tracer/), so `DisabledTracer` there.
 */
import type { Tracer } from '@aws-lambda-powertools/tracer';

/** Whether Powertools Tracer would trace in this environment (see above). */
export function tracingWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  const exec = env.AWS_EXECUTION_ENV ?? '';
  if (exec === '' || exec === 'AWS_Lambda_amplify-mock') return false;
  if (env.AWS_SAM_LOCAL?.trim().toLowerCase() === 'true') return false;
  return env.POWERTOOLS_TRACE_ENABLED?.trim().toLowerCase() !== 'false';
}

/**
 * A Tracer switched off, without the X-Ray SDK: `isTracingEnabled()` is false (so the middy middleware
 * `captureLambdaHandler` does nothing), clients are returned as they are, annotations and metadata are
 * dropped, decorators leave the method as it is.
 */
export class DisabledTracer {
  isTracingEnabled(): boolean {
    return false;
  }
  captureAWSv3Client<T>(client: T): T {
    return client;
  }
  captureAWSClient<T>(client: T): T {
    return client;
  }
  getSegment(): undefined {
    return undefined;
  }
  setSegment(): void {}
  putAnnotation(): void {}
  putMetadata(): void {}
  annotateColdStart(): void {}
  addServiceNameAnnotation(): void {}
  addResponseAsMetadata(): void {}
  addErrorAsMetadata(): void {}
  getRootXrayTraceId(): undefined {
    return undefined;
  }
  isTraceSampled(): boolean {
    return false;
  }
  captureMethod() {
    return <T>(_target: unknown, _key: unknown, descriptor: T): T => descriptor;
  }
  captureLambdaHandler() {
    return <T>(_target: unknown, _key: unknown, descriptor: T): T => descriptor;
  }
}

// Undefined also in Lambda where the bundle's stand-in stands for the package (see above).
const TracerClass = tracingWanted() ? (await import('@aws-lambda-powertools/tracer')).Tracer : undefined;

/** Powertools Tracer where it would trace; elsewhere a DisabledTracer (typed as Tracer for Deps). */
export function newTracer(serviceName: string): Tracer {
  return TracerClass ? new TracerClass({ serviceName }) : (new DisabledTracer() as unknown as Tracer);
}
