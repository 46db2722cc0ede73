/**
 * CloudWatch Logs data protection for every certflow log group: a resident ID number that slips into a
 * log line anyway is masked (and counted in the log group's data-protection metrics). The handlers never
 * log a full ID number; this is the second line of defence on AWS.
 */
import * as logs from 'aws-cdk-lib/aws-logs';

/** 18-character resident ID number (GB 11643): 17 digits, the first not 0, then a digit or X. */
export const idNumberPattern = '[1-9][0-9]{16}[0-9Xx]';

export function idNumberProtection(): logs.DataProtectionPolicy {
  return new logs.DataProtectionPolicy({
    name: 'certflow-id-numbers',
    description: 'Masks resident ID numbers in log events',
    identifiers: [new logs.CustomDataIdentifier('ResidentIdNumber', idNumberPattern)],
  });
}
