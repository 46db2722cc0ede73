/**
 * The deps each function runs with on the local stack (local/functions.ts `functionDeps`): a function without
 * `access.workingDayCalendar` gets, as its Lambda bundle does (infra/bundle-shims/absent/calendar.ts), a
 * calendar that rejects naming it and the declaration — so an e2e run catches a missing declaration.
 */
import { describe, expect, it } from 'vitest';
import { type FunctionSpec, functions } from '#functions/function-list.ts';
import { createHandler as escalate } from '#functions/workflow/escalate.ts';
import { AbsentFromBundleError } from '#infra/bundle-shims/absent/absent.ts';
import { functionDeps } from '#local/functions.ts';
import type { RequestRecord } from '#shared/store/model.ts';
import { context, memoryDeps, waitingRecord } from '../functions/helpers.ts';

const specs = functions as readonly FunctionSpec[];

describe('functionDeps (local stack)', () => {
  it("gives each function its own logger, and the stack's calendar only with access.workingDayCalendar", async () => {
    const deps = memoryDeps();
    const calendar = await deps.calendar();
    for (const spec of specs) {
      const own = functionDeps(spec, deps);
      expect(own.logger, spec.name).not.toBe(deps.logger);
      expect(own.store, spec.name).toBe(deps.store);
      if (spec.access.workingDayCalendar) expect(await own.calendar(), spec.name).toBe(calendar);
      else
        await expect(own.calendar(), spec.name).rejects.toThrow(
          new RegExp(
            `^the working-day calendar is not in the bundle of ${spec.name}: .*access\\.workingDayCalendar in functions/function-list\\.ts`,
          ),
        );
    }
  });

  it('a deadline-computing function without the declaration fails on its first deadline, naming itself', async () => {
    const spec = specs.find((f) => f.name === 'Escalate')!;
    const undeclared = { ...spec, access: { ...spec.access, workingDayCalendar: false } };
    const run = async (s: FunctionSpec) => {
      const deps = memoryDeps();
      deps.clock.set(Date.parse('2026-12-01T02:00:00.000Z'));
      deps.store.seed(structuredClone(waitingRecord) as unknown as RequestRecord);
      return escalate(functionDeps(s, deps))(
        { requestId: 'R1', error: 'States.Timeout' },
        context('Escalate'),
      );
    };
    // Past the deadline of Monday 30 November: level 1, two working days later (Wednesday 2 December).
    await expect(run(spec)).resolves.toMatchObject({
      escalationLevel: 1,
      deadline: '2026-12-02T15:59:59.999Z',
    });
    const error = await run(undeclared).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbsentFromBundleError);
    expect((error as Error).message).toMatch(/bundle of Escalate: .*access\.workingDayCalendar/);
  });
});
