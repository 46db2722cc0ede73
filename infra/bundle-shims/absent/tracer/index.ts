/**
 * `@aws-lambda-powertools/tracer` in the bundles of functions without `access.traces` (infra/bundling.ts
 * `optionalPackages`): no `Tracer` class, so functions/edge/tracing.ts gives its `DisabledTracer` even in
 * Lambda. Leaves out Tracer, the X-Ray SDK (aws-xray-sdk-core, cls-hooked, two copies of semver:
 * ≈ 120 KB minified) and the async hook cls-hooked turns on at import. Lambda's active tracing (set by
 * CDK for every function) still records the invocation's own segment; what is lost is the subsegments
 * (SDK calls, outbound HTTP) and Tracer's annotations.
 */
export const Tracer = undefined;
