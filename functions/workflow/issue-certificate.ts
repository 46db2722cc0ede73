/** Workflow step IssueCertificate: issues on the spot (see use-cases/issue.ts for the primary course). */
import { StepInputSchema } from '#shared/schemas/steps.ts';
import { type Deps, defaultDeps, lazyHandler } from '../deps.ts';
import { stepHandler } from '../edge/step.ts';
import { issueCertificate } from '../use-cases/issue.ts';

export function createHandler(deps: Deps) {
  return stepHandler(deps, StepInputSchema, async ({ requestId }) => {
    const request = await issueCertificate(deps, requestId, { actor: 'system' });
    return { requestId, status: request.status, certificateNumber: request.certificate?.number };
  });
}

export const handler = lazyHandler(() => createHandler(defaultDeps()));
