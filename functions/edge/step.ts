/**
 * The middy chain of workflow steps (and the scheduled sweeper): Powertools logger with the certflow
 * request id as correlation id, EMF metrics, and the Powertools parser with the step's zod schema. A step
 * whose input does not parse throws StepInputError (not retried: the workflow fails visibly).
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { z } from 'zod';
import type { Deps } from '../deps.ts';

export class StepInputError extends Error {
  override name = 'StepInputError';
}

export function stepHandler<S extends z.core.$ZodType, R>(
  deps: Deps,
  schema: S,
  step: (input: z.output<S>, context: Context) => Promise<R>,
): (event: unknown, context: Context) => Promise<R> {
  const handler = middy<unknown, R, Error, Context>()
    .use(captureLambdaHandler(deps.tracer, { captureResponse: false }))
    .use(injectLambdaContext(deps.logger, { resetKeys: true }))
    .before((request) => {
      // The certflow request (or complaint) id is the correlation id of every log line of this step.
      const input = request.event as { requestId?: unknown; complaintId?: unknown } | null;
      const id = input?.requestId ?? input?.complaintId;
      if (typeof id === 'string') deps.logger.setCorrelationId(id);
    })
    .use(logMetrics(deps.metrics))
    .use(parser({ schema, safeParse: true }))
    .handler(async (parsed, context) => {
      if (!parsed.success)
        throw new StepInputError(`step input is not valid: ${parsed.error?.message ?? ''}`);
      return step(parsed.data as z.output<S>, context);
    });
  return handler as unknown as (event: unknown, context: Context) => Promise<R>;
}
