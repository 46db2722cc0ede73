/**
 * Workflow step RecoverWorkflow: the Catch of every step. A step that failed (after its retries) never
 * fails the execution silently.
 *
 * Primary course:
 *  1. Log at ERROR with the request id, the failed state's error and cause; count `WorkflowStepFailed`
 *     (the CDK alarm `WorkflowStepFailed` watches it).
 *  2. Record a WORKFLOW_STEP_FAILED event on the open request (its history shows why it paused) and
 *     count the recovery.
 *  3. Answer the path the request is on from its stored state (CheckRules' `pathOf`): the workflow
 *     routes there again — an accepted finding that never reached the workflow goes to Decide.
 *  4. After MAX_RECOVERIES failures in a row the path is FAILED (the execution fails, loudly); the
 *     deadline sweeper restarts it later from the same stored state.
 */
import { isFinal } from '#shared/domain/request.ts';
import * as z from '#shared/schemas/zod.ts';
import { type Deps, defaultDeps, lazyHandler } from '../deps.ts';
import { stepHandler } from '../edge/step.ts';
import { type CheckRulesOutput, pathOf } from '../use-cases/path.ts';
import { changeRequest, loadRequest } from '../use-cases/requests.ts';

export const MAX_RECOVERIES = 3;

export const RecoverInputSchema = z.object({
  requestId: z.string().check(z.minLength(1), z.maxLength(100)),
  /** `$states.errorOutput` of the failed state: `{ Error, Cause }`. */
  error: z.optional(z.object({ Error: z.optional(z.string()), Cause: z.optional(z.string()) })),
});

export async function recoverStep(
  deps: Deps,
  input: z.output<typeof RecoverInputSchema>,
): Promise<CheckRulesOutput | { requestId: string; path: 'FAILED'; deliveries: [] }> {
  const error = input.error?.Error ?? 'States.TaskFailed';
  const cause = (input.error?.Cause ?? '').slice(0, 500);
  // 1.
  deps.logger.error('workflow step failed', { requestId: input.requestId, error, cause });
  deps.metrics.addMetric('WorkflowStepFailed', 'Count', 1);
  const before = await loadRequest(deps, input.requestId);
  if (isFinal(before.status)) return pathOf(before);
  // 2.
  const updated = await changeRequest(
    deps,
    input.requestId,
    (current) => ({
      changes: { recoveries: (current.recoveries ?? 0) + 1 },
      event: {
        type: 'WORKFLOW_STEP_FAILED',
        actor: 'system',
        detail: { error, attempt: (current.recoveries ?? 0) + 1, maxAttempts: MAX_RECOVERIES },
      },
    }),
    before,
  );
  // 4.
  if ((updated.recoveries ?? 0) > MAX_RECOVERIES) {
    deps.logger.error('workflow step keeps failing; left for the sweeper', {
      requestId: input.requestId,
      error,
    });
    return { requestId: input.requestId, path: 'FAILED', deliveries: [] };
  }
  // 3.
  return pathOf(updated);
}

export function createHandler(deps: Deps) {
  return stepHandler(deps, RecoverInputSchema, (input) => recoverStep(deps, input));
}

export const handler = lazyHandler(() => createHandler(defaultDeps()));
