/**
 * The rule check: a pure function from a validated intake request, the policy and the registry to a
 * decision, following DOMAIN.md's decision order exactly (first matching rule wins). Implementation lands
 * in the next commit; the signature is final.
 */
import type { WorkingDayCalendar } from '#shared/domain/calendar.ts';
import type { Decision } from '#shared/domain/types.ts';
import type { Policy } from '#shared/policy/policy.ts';
import type { PopulationRegistry } from '#shared/registry/registry.ts';
import type { IntakeRequest } from '#shared/schemas/intake.ts';

export interface RuleContext {
  policy: Policy;
  registry: PopulationRegistry;
  /** When the request was accepted (the investigation deadline counts from its Beijing day). */
  acceptedAt: Date;
  /** Working-day calendar (default: chinese-days data only). */
  calendar?: WorkingDayCalendar;
}

export function checkRules(request: IntakeRequest, ctx: RuleContext): Decision {
  void request;
  void ctx;
  throw new RangeError('checkRules: not implemented yet');
}
