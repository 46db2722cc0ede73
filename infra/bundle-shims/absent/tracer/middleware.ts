/**
 * `@aws-lambda-powertools/tracer/middleware` beside the absent Tracer (./index.ts; esbuild's alias of a
 * package also maps its subpaths here). Powertools' `captureLambdaHandler` does nothing when
 * `tracer.isTracingEnabled()` is false, which is always the case with the `DisabledTracer` these bundles
 * get (functions/edge/tracing.ts); this middy middleware does the same nothing, without Powertools.
 * `(tracer, options) => middy middleware`.
 */
export function captureLambdaHandler(_tracer: unknown, _options?: { captureResponse?: boolean }) {
  return { before: (): void => {} };
}
