/** `--holidays FILE` (CERTFLOW_HOLIDAYS_FILE): a supplied holiday moves the deadlines the stack computes. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/stack.ts';
import { getRequest, scenario, startTestStack, submit, waitWaiting } from './helpers.ts';

let stack: LocalStack;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'certflow-holidays-'));
  const file = join(dir, 'holidays.json');
  // Wednesday 25 November 2026 declared a day off (not one in chinese-days' data).
  writeFileSync(
    file,
    JSON.stringify({ years: [2026], holidays: { '2026-11-25': '测试假日' }, workdays: {} }),
  );
  stack = await startTestStack({ holidaysFile: file });
});
afterAll(async () => {
  await stack?.end();
  rmSync(dir, { recursive: true, force: true });
});

describe('holiday supplement', () => {
  it('accepted Monday 23 November: the 5th working day is Tuesday 1 December instead of Monday 30 November', async () => {
    const { requestId, accessToken } = await submit(stack, scenario('kinship-investigate').body);
    await waitWaiting(stack, requestId);
    const view = await getRequest(stack, requestId, accessToken);
    expect(view.body).toMatchObject({ status: 'INVESTIGATING', deadlineProvisional: false });
    expect(view.body.deadline).toBe('2026-12-01T15:59:59.999Z');
  });
});
