/** Starting a request's workflow, for intake and for the sweeper's repair. */
import type { Deps } from '../deps.ts';

/**
 * Starts the workflow of `requestId` as execution `executionName` (idempotent by name). Never throws: a
 * failure is logged and answered `false`, and the deadline sweeper starts the workflow of any request
 * left RECEIVED later.
 */
export async function startWorkflow(
  deps: Pick<Deps, 'workflow' | 'logger'>,
  requestId: string,
  executionName: string,
): Promise<boolean> {
  try {
    return await deps.workflow.start(requestId, executionName);
  } catch (error) {
    deps.logger.warn('could not start the workflow; the sweeper will', {
      requestId,
      error: (error as Error).name,
    });
    return false;
  }
}
