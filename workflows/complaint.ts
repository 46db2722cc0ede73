/**
 * The complaint state machine (Step Functions Standard, JSONata ASL), as data — the second definition
 * beside certificate-request.ts, in the same style and run the same way (CDK on AWS, the local engine).
 *
 *   AssignComplaint ──► Route ─┬─ WAIT ───► AwaitFinding ─────────► ConcludeComplaint  (UPHELD / NOT_UPHELD)
 *                              │              ▲     │ States.Timeout
 *                              │              │     ▼
 *                              │            Route ◄─ EscalateComplaint (next supervisor level, next deadline)
 *                              ├─ DECIDE ─► ConcludeComplaint (a finding stored but not yet applied)
 *                              └─ DONE ───► Done
 *
 * AssignComplaint gives the complaint to the supervisor level above the station with the policy's deadline
 * (shared/policy/accountability.json). AwaitFinding hands a task token to DispatchComplaint, which keeps it
 * on the complaint; a supervisor's finding (POST /v1/complaints/{id}/findings) ends the wait with
 * SendTaskSuccess. The wait's timeout is the time left until the deadline (the state machine's clock:
 * the test clock locally); on timeout EscalateComplaint moves it to the next level. Every step is
 * idempotent (version-checked writes), retried on transient errors; anything else fails the execution
 * visibly (`Failed`), the complaint keeping its last stored state.
 */
import { lambdaInvoke, PARTITION_PLACEHOLDER, placeholder, retryTransient } from './asl.ts';

export const COMPLAINT_STATE_MACHINE = 'complaint';

const fail = { ErrorEquals: ['States.ALL'], Next: 'Failed' };

/** A Lambda step: retried on transient errors (with jitter, as the certificate-request steps), else `Failed`. */
function invoke(name: string, payload: Record<string, string>) {
  return { ...lambdaInvoke(name, payload), Retry: [retryTransient], Catch: [fail] };
}

export const complaintDefinition = {
  Comment: 'certflow: one complaint from acceptance to the supervisor’s finding (刚性问责)',
  QueryLanguage: 'JSONata',
  StartAt: 'AssignComplaint',
  States: {
    AssignComplaint: {
      ...invoke('AssignComplaintFunctionArn', { complaintId: '{% $states.input.complaintId %}' }),
      Comment: 'The supervisor level above the station, and the deadline of its finding',
      Next: 'Route',
    },
    Route: {
      Type: 'Choice',
      Choices: [
        { Condition: "{% $states.input.path = 'WAIT' %}", Next: 'AwaitFinding' },
        { Condition: "{% $states.input.path = 'DECIDE' %}", Next: 'ConcludeComplaint' },
      ],
      Default: 'Done',
    },
    AwaitFinding: {
      Type: 'Task',
      Comment: 'Waits for a supervisor’s finding until the deadline',
      Resource: `arn:${placeholder(PARTITION_PLACEHOLDER)}:states:::lambda:invoke.waitForTaskToken`,
      Arguments: {
        FunctionName: placeholder('DispatchComplaintFunctionArn'),
        Payload: {
          complaintId: '{% $states.input.complaintId %}',
          taskToken: '{% $states.context.Task.Token %}',
        },
      },
      TimeoutSeconds: '{% $max([2, $ceil(($toMillis($states.input.deadline) - $millis()) / 1000)]) %}',
      Output: '{% {"complaintId": $states.input.complaintId, "finding": $states.result} %}',
      Retry: [retryTransient],
      Catch: [
        {
          ErrorEquals: ['States.Timeout'],
          Next: 'EscalateComplaint',
          Output: '{% {"complaintId": $states.input.complaintId} %}',
        },
        fail,
      ],
      Next: 'ConcludeComplaint',
    },
    EscalateComplaint: {
      ...invoke('EscalateComplaintFunctionArn', { complaintId: '{% $states.input.complaintId %}' }),
      Comment: 'Past the deadline: the next supervisor level and deadline; then wait again',
      Next: 'Route',
    },
    ConcludeComplaint: {
      ...invoke('ConcludeComplaintFunctionArn', {
        complaintId: '{% $states.input.complaintId %}',
        finding: '{% $states.input.finding %}',
      }),
      Comment: 'UPHELD or NOT_UPHELD; an upheld complaint is an accountability record',
      End: true,
    },
    Failed: {
      Type: 'Fail',
      Error: 'ComplaintStepFailed',
      Cause: 'a step kept failing; the complaint keeps its last stored state',
    },
    Done: { Type: 'Succeed' },
  },
} as const;
