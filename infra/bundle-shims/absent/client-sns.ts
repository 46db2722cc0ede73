/** `@aws-sdk/client-sns` in the bundles of functions without `access.sms` (see absent.ts). */
import { absentClass } from './absent.ts';

export const SNSClient = absentClass('@aws-sdk/client-sns', 'SNSClient', 'sms');
export const PublishCommand = absentClass('@aws-sdk/client-sns', 'PublishCommand', 'sms');
