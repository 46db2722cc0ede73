/**
 * Scheduled ExchangeBatch (every hour; EventBridge Scheduler on AWS, the local scheduler on the stack's
 * clock): periodic exchange — each subscriber gets its registry changes since the batch it last
 * acknowledged, signed (Standard Webhooks), retried at the next runs, then dead-lettered
 * (use-cases/periodic-exchange.ts `runExchangeBatch`).
 */
import * as z from '#shared/schemas/zod.ts';
import { type Deps, lazyHandler } from '../deps.ts';
import { departmentDeps } from '../edge/department-deps.ts';
import { departmentsOf } from '../edge/departments.ts';
import { stepHandler } from '../edge/step.ts';
import { runExchangeBatch } from '../use-cases/periodic-exchange.ts';

export const ExchangeBatchInputSchema = z.unknown();

export function createHandler(deps: Deps) {
  return stepHandler(deps, ExchangeBatchInputSchema, () =>
    runExchangeBatch(deps, (code) => departmentsOf(deps).get(code)),
  );
}

export const handler = lazyHandler(() => createHandler(departmentDeps()));
