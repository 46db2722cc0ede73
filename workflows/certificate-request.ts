/**
 * The certificate-request state machine (Step Functions Standard, JSONata ASL), as data.
 *
 *   CheckRules ──► Route ─┬─ ISSUE ───────► IssueCertificate                               (on the spot)
 *                         ├─ DECLINED ────► NotifyDecision ──(fails)──► RecordDeadLetter     (declined)
 *                         ├─ EXCHANGE ────► NotifyDecision ──(fails)──► RecordDeadLetter     (answered by exchange)
 *                         ├─ INVESTIGATE ─► NotifyInvestigation ─► AwaitFinding ─► Decide   (issued / refused)
 *                         │                                           ▲     │ States.Timeout
 *                         │                                           └─ Escalate ◄┘ (level +1, next deadline)
 *                         ├─ DECIDE ──────► Decide (a finding accepted but not yet applied)
 *                         └─ DONE ────────► Done (a resumed request that had already finished)
 *
 * Every Lambda step catches what its retries could not fix → Recover (ERROR log, WorkflowStepFailed
 * metric, event on the request) → Route again from the request's stored state; FAILED after a few.
 *
 * Every Lambda step is idempotent (it reads the request's version and writes conditionally), so retries
 * and resumed executions are safe. `AwaitFinding` hands a task token to DispatchInvestigation, which
 * stores it on the request; a finding (officer or signed department webhook) ends the wait with
 * SendTaskSuccess. Its timeout is the time left until the deadline: the task's own timeout enforces
 * the deadline, with no heartbeat and no central sweeper (issue 18). The timeout goes to Escalate, which
 * escalates only when the deadline has really passed and returns the next wait.
 * The warning one working day before the deadline is a one-time schedule made by DispatchInvestigation
 * (EventBridge Scheduler `at()` on AWS), not a state of the machine: it costs no transitions, survives
 * restarts, and a finding never has to cancel a timer.
 *
 * Function ARNs are placeholders (`${CheckRulesFunctionArn}` …): CDK fills them through
 * `definitionSubstitutions`, the local stack through `substitute` with local function names. The
 * partition of the service-integration ARNs is the placeholder `${Partition}` too: CDK fills it with
 * `${AWS::Partition}` (so `aws-cn` and `aws-us-gov` deploy), the local stack with `aws`.
 */
import { lambdaInvoke, PARTITION_PLACEHOLDER, placeholder, retryTransient, TRANSIENT_ERRORS } from './asl.ts';

/** Deliveries to departments: up to 5 s, 15 s, 45 s, 135 s (full jitter, at most 5 min), then a dead letter. */
const retryDelivery = {
  ErrorEquals: ['DeliveryFailedError', ...TRANSIENT_ERRORS],
  IntervalSeconds: 5,
  MaxAttempts: 4,
  BackoffRate: 3,
  MaxDelaySeconds: 300,
  JitterStrategy: 'FULL',
};

/**
 * Every Lambda step's last resort (after its retries): RecoverWorkflow logs at ERROR, counts
 * WorkflowStepFailed and answers the path from the request's stored state; the workflow goes on at Route.
 */
const recover = {
  ErrorEquals: ['States.ALL'],
  Next: 'Recover',
  Output: '{% {"requestId": $states.input.requestId, "error": $states.errorOutput} %}',
};

export const certificateRequestDefinition = {
  Comment: 'certflow: one certificate request from the rule check to its outcome (DOMAIN.md)',
  QueryLanguage: 'JSONata',
  StartAt: 'CheckRules',
  States: {
    CheckRules: {
      ...lambdaInvoke('CheckRulesFunctionArn', { requestId: '{% $states.input.requestId %}' }),
      Comment: 'Applies the policy, records the decision; returns the path and any deliveries',
      Retry: [retryTransient],
      Catch: [recover],
      Next: 'Route',
    },
    Route: {
      Type: 'Choice',
      Choices: [
        { Condition: "{% $states.input.path = 'ISSUE' %}", Next: 'IssueCertificate' },
        { Condition: "{% $states.input.path = 'INVESTIGATE' %}", Next: 'NotifyInvestigation' },
        { Condition: "{% $states.input.path = 'DECIDE' %}", Next: 'Decide' },
        { Condition: "{% $states.input.path = 'FAILED' %}", Next: 'Failed' },
        {
          Condition: "{% $states.input.path = 'DECLINED' or $states.input.path = 'EXCHANGE' %}",
          Next: 'NotifyDecision',
        },
      ],
      Default: 'Done',
    },
    IssueCertificate: {
      ...lambdaInvoke('IssueCertificateFunctionArn', { requestId: '{% $states.input.requestId %}' }),
      Comment: 'Issues the certificate on the spot from the registry facts',
      Retry: [retryTransient],
      Catch: [recover],
      End: true,
    },
    NotifyDecision: {
      ...lambdaInvoke('DeliverToDepartmentsFunctionArn', {
        requestId: '{% $states.input.requestId %}',
        deliveries: '{% $states.input.deliveries %}',
      }),
      Comment: 'Signed delivery of the decision / exchange record to the asking department',
      Retry: [retryDelivery],
      Catch: [
        {
          ErrorEquals: ['States.ALL'],
          Next: 'RecordDeadLetter',
          Output: '{% $merge([$states.input, {"error": $states.errorOutput}]) %}',
        },
      ],
      End: true,
    },
    RecordDeadLetter: {
      ...lambdaInvoke('RecordDeadLetterFunctionArn', {
        requestId: '{% $states.input.requestId %}',
        deliveries: '{% $states.input.deliveries %}',
        error: '{% $states.input.error %}',
      }),
      Retry: [retryTransient],
      Catch: [recover],
      End: true,
    },
    NotifyInvestigation: {
      ...lambdaInvoke('DeliverToDepartmentsFunctionArn', {
        requestId: '{% $states.input.requestId %}',
        deliveries: '{% $states.input.deliveries %}',
      }),
      Comment: 'Signed delivery of the investigation to the departments concerned',
      Output: '{% $states.input %}',
      Retry: [retryDelivery],
      Catch: [
        {
          ErrorEquals: ['States.ALL'],
          Next: 'RecordDeadLetterThenWait',
          Output: '{% $merge([$states.input, {"error": $states.errorOutput}]) %}',
        },
      ],
      Next: 'AwaitFinding',
    },
    RecordDeadLetterThenWait: {
      ...lambdaInvoke('RecordDeadLetterFunctionArn', {
        requestId: '{% $states.input.requestId %}',
        deliveries: '{% $states.input.deliveries %}',
        error: '{% $states.input.error %}',
      }),
      Output: '{% $states.input %}',
      Retry: [retryTransient],
      Catch: [recover],
      Next: 'AwaitFinding',
    },
    AwaitFinding: {
      Type: 'Task',
      Comment: 'Dispatches to the competent station and waits for a finding until the deadline',
      Resource: `arn:${placeholder(PARTITION_PLACEHOLDER)}:states:::lambda:invoke.waitForTaskToken`,
      Arguments: {
        FunctionName: placeholder('DispatchInvestigationFunctionArn'),
        Payload: {
          requestId: '{% $states.input.requestId %}',
          taskToken: '{% $states.context.Task.Token %}',
        },
      },
      // Seconds left until the deadline, on the state machine's clock (at least 2).
      TimeoutSeconds: '{% $max([2, $ceil(($toMillis($states.input.deadline) - $millis()) / 1000)]) %}',
      Output: '{% {"requestId": $states.input.requestId, "finding": $states.result} %}',
      Retry: [retryTransient],
      Catch: [
        {
          ErrorEquals: ['States.Timeout'],
          Next: 'Escalate',
          Output: '{% {"requestId": $states.input.requestId, "error": $states.errorOutput.Error} %}',
        },
        recover,
      ],
      Next: 'Decide',
    },
    Escalate: {
      ...lambdaInvoke('EscalateFunctionArn', {
        requestId: '{% $states.input.requestId %}',
        error: '{% $states.input.error %}',
      }),
      Comment: 'Past the deadline: next level, supervisor alarm, next deadline; then wait again',
      Retry: [retryTransient],
      Catch: [recover],
      Next: 'AfterEscalate',
    },
    AfterEscalate: {
      Type: 'Choice',
      Comment: 'A finding accepted but never delivered to the wait is applied, not escalated past',
      Choices: [{ Condition: "{% $states.input.path = 'DECIDE' %}", Next: 'Decide' }],
      Default: 'AwaitFinding',
    },
    Decide: {
      ...lambdaInvoke('DecideFunctionArn', {
        requestId: '{% $states.input.requestId %}',
        finding: '{% $states.input.finding %}',
      }),
      Comment: 'CONFIRMED issues the certificate, REFUTED refuses with the reason',
      Retry: [retryTransient],
      Catch: [recover],
      End: true,
    },
    Recover: {
      ...lambdaInvoke('RecoverWorkflowFunctionArn', {
        requestId: '{% $states.input.requestId %}',
        error: '{% $states.input.error %}',
      }),
      Comment: 'A step failed: ERROR log + WorkflowStepFailed metric, then resume from the stored state',
      Retry: [retryTransient],
      Next: 'Route',
    },
    Failed: {
      Type: 'Fail',
      Error: 'WorkflowStepFailed',
      Cause: 'a step kept failing; the deadline sweeper restarts the request from its stored state',
    },
    Done: { Type: 'Succeed' },
  },
} as const;

/** The placeholders the definition uses, e.g. `CheckRulesFunctionArn`. */
export function placeholdersOf(definition: unknown): string[] {
  const found = new Set<string>();
  for (const m of JSON.stringify(definition).matchAll(/\$\{(\w+)\}/g)) found.add(m[1]!);
  return [...found].sort();
}

/** The placeholders that stand for functions (every one but the partition's). */
export function functionPlaceholdersOf(definition: unknown): string[] {
  return placeholdersOf(definition).filter((p) => p !== PARTITION_PLACEHOLDER);
}

export class MissingSubstitutionError extends Error {
  override name = 'MissingSubstitutionError';
}

/**
 * Replaces every `${Name}` of the definition with `values[Name]` (the same substitution CDK's
 * `definitionSubstitutions` makes). Throws if a placeholder has no value.
 */
export function substitute(definition: unknown, values: Readonly<Record<string, string>>): string {
  const missing = placeholdersOf(definition).filter((p) => values[p] === undefined);
  if (missing.length > 0)
    throw new MissingSubstitutionError(`no value for placeholder(s): ${missing.join(', ')}`);
  return JSON.stringify(definition).replace(/\$\{(\w+)\}/g, (_, name: string) => {
    // JSON-escape the value: it lands inside a JSON string.
    return JSON.stringify(values[name]).slice(1, -1);
  });
}

export const CERTIFICATE_REQUEST_STATE_MACHINE = 'certificate-request';
