/**
 * Scheduled AbolishedDemandReport (daily; EventBridge Scheduler on AWS, the local scheduler on the
 * stack's clock): sends last Beijing month's abolished-demand report, signed, to every connected body and
 * to the supervisors — once per recipient, so a missed run or a failing endpoint is made good the next day.
 * Use case: use-cases/abolished-demands.ts `sendMonthlyReport`.
 */
import * as z from '#shared/schemas/zod.ts';
import { type Deps, lazyHandler } from '../deps.ts';
import { departmentDeps } from '../edge/department-deps.ts';
import { stepHandler } from '../edge/step.ts';
import { sendMonthlyReport } from '../use-cases/abolished-demands.ts';

export function createHandler(deps: Deps) {
  return stepHandler(deps, z.unknown(), () => sendMonthlyReport(deps));
}

export const handler = lazyHandler(() => createHandler(departmentDeps()));
