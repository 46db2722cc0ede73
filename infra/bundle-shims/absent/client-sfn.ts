/**
 * `@aws-sdk/client-sfn` in the bundles of functions with no state-machine actions in their `access`
 * (`stateMachine`, `complaintMachine`; see absent.ts). shared/workflow/sfn-workflow.ts makes its client on
 * the first call, which such a function never makes.
 */
import { absentClass } from './absent.ts';

const flag = 'stateMachine';
export const SFNClient = absentClass('@aws-sdk/client-sfn', 'SFNClient', flag);
export const StartExecutionCommand = absentClass('@aws-sdk/client-sfn', 'StartExecutionCommand', flag);
export const DescribeExecutionCommand = absentClass('@aws-sdk/client-sfn', 'DescribeExecutionCommand', flag);
export const SendTaskSuccessCommand = absentClass('@aws-sdk/client-sfn', 'SendTaskSuccessCommand', flag);
export const SendTaskHeartbeatCommand = absentClass('@aws-sdk/client-sfn', 'SendTaskHeartbeatCommand', flag);
