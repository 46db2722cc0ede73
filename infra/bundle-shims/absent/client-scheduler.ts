/** `@aws-sdk/client-scheduler` in the bundles of functions without `access.schedules` (see absent.ts). */
import { absentClass } from './absent.ts';

export const SchedulerClient = absentClass('@aws-sdk/client-scheduler', 'SchedulerClient', 'schedules');
export const CreateScheduleCommand = absentClass(
  '@aws-sdk/client-scheduler',
  'CreateScheduleCommand',
  'schedules',
);
export const ConflictException = absentClass('@aws-sdk/client-scheduler', 'ConflictException', 'schedules');
