/**
 * The workflow port over `@aws-sdk/client-sfn` (Step Functions on AWS, the local service in the local
 * stack): one state machine, `stateMachineArn`, whose executions are named after requests (the
 * certificate-request machine, input `{ requestId }`) or complaints (the complaint machine, `inputKey`
 * `complaintId`: input `{ complaintId }`).
 */
import {
  DescribeExecutionCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  type SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { CertflowWorkflow, TaskAnswer } from './port.ts';

/** Error names of a task token whose wait is over. */
const TOKEN_GONE = new Set(['TaskTimedOut', 'InvalidToken', 'TaskDoesNotExist']);

/** The execution ARN of execution `name` of the state machine `stateMachineArn`. */
export function executionArn(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}

export class SfnWorkflow implements CertflowWorkflow {
  #client: SFNClient | (() => SFNClient);

  /**
   * `client`: the Step Functions client, or a function that makes it on first use (functions/deps.ts, so a
   * function without state-machine access never makes one: its bundle has a stand-in, infra/bundling.ts).
   */
  constructor(
    client: SFNClient | (() => SFNClient),
    readonly stateMachineArn: string,
    /** The name of the id in the execution's input. */
    readonly inputKey: 'requestId' | 'complaintId' = 'requestId',
  ) {
    this.#client = client;
  }

  /** The Step Functions client (made now if it was given as a function). */
  get client(): SFNClient {
    if (typeof this.#client === 'function') this.#client = this.#client();
    return this.#client;
  }

  async start(requestId: string, executionName: string): Promise<true> {
    try {
      await this.client.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name: executionName,
          input: JSON.stringify({ [this.inputKey]: requestId }),
        }),
      );
    } catch (error) {
      if ((error as Error).name !== 'ExecutionAlreadyExists') throw error;
    }
    return true;
  }

  heartbeat(taskToken: string): Promise<TaskAnswer> {
    return this.#task(() => this.client.send(new SendTaskHeartbeatCommand({ taskToken })));
  }

  sendFinding(taskToken: string, finding: unknown): Promise<TaskAnswer> {
    return this.#task(() =>
      this.client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(finding) })),
    );
  }

  async isRunning(executionName: string): Promise<boolean> {
    try {
      const out = await this.client.send(
        new DescribeExecutionCommand({ executionArn: executionArn(this.stateMachineArn, executionName) }),
      );
      return out.status === 'RUNNING';
    } catch (error) {
      if ((error as Error).name === 'ExecutionDoesNotExist') return false;
      throw error;
    }
  }

  async #task(send: () => Promise<unknown>): Promise<TaskAnswer> {
    try {
      await send();
      return 'done';
    } catch (error) {
      if (TOKEN_GONE.has((error as Error).name)) return 'gone';
      throw error;
    }
  }
}
