/**
 * An in-memory double of the workflow port (`CertflowWorkflow`, shared/workflow/port.ts) for handler unit
 * tests: executions by name, tasks waiting on tokens, and what each call did, so a test asserts that a
 * finding reached the waiting task rather than the shape of an SFN command. `SfnWorkflow` itself runs
 * against the local Step Functions service in the integration and e2e suites.
 */
import type { CertflowWorkflow, TaskAnswer } from '#shared/workflow/port.ts';

export class InMemoryWorkflow implements CertflowWorkflow {
  /** Executions by name: the request they carry and whether they still run. */
  readonly executions = new Map<string, { requestId: string; running: boolean }>();
  /** Task tokens still waiting (a heartbeat or a finding on any other token is `gone`). */
  readonly waiting = new Set<string>();
  /** Findings sent, by task token, in order. */
  readonly findings: { taskToken: string; finding: unknown }[] = [];
  /** Heartbeats sent, by task token, in order. */
  readonly heartbeats: string[] = [];

  async start(requestId: string, executionName: string): Promise<true> {
    if (!this.executions.has(executionName)) this.executions.set(executionName, { requestId, running: true });
    return true;
  }

  async heartbeat(taskToken: string): Promise<TaskAnswer> {
    this.heartbeats.push(taskToken);
    return this.waiting.has(taskToken) ? 'done' : 'gone';
  }

  async sendFinding(taskToken: string, finding: unknown): Promise<TaskAnswer> {
    if (!this.waiting.delete(taskToken)) return 'gone';
    this.findings.push({ taskToken, finding });
    return 'done';
  }

  async isRunning(executionName: string): Promise<boolean> {
    return this.executions.get(executionName)?.running === true;
  }
}
