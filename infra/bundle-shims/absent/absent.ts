/**
 * Stand-ins for packages left out of a function's bundle (infra/bundling.ts `optionalPackages`): a
 * function whose `access` (functions/function-list.ts) does not include what a package is for gets, in
 * place of the package, a module whose classes throw `AbsentFromBundleError` when constructed. Such code is
 * unreachable there by configuration (CDK sets, say, the SNS provider only for functions with `access.sms`,
 * and grants nothing else); if it is ever reached, the error names the function-list flag to set.
 */
export class AbsentFromBundleError extends Error {
  override name = 'AbsentFromBundleError';
}

/**
 * `(pkg, exportName, accessFlag) => class`: a class that throws on construction, e.g.
 * `absentClass('@aws-sdk/client-sns', 'SNSClient', 'sms')`.
 */
export function absentClass(pkg: string, exportName: string, accessFlag: string) {
  return class Absent {
    constructor() {
      throw new AbsentFromBundleError(
        `${exportName} (${pkg}) is not in this function's bundle: give the function access.${accessFlag} in functions/function-list.ts (see infra/bundling.ts, optionalPackages)`,
      );
    }
  };
}

/**
 * The error of the working-day calendar reached by a function that does not declare it: `functionName` is
 * the Lambda function's name (`AWS_LAMBDA_FUNCTION_NAME`, `certflow-<stage>-<Name>`) or the local stack's.
 * Thrown by the calendar's stand-in (calendar.ts here) in the bundle and by the local stack's deps.
 */
export function calendarAbsentError(functionName: string | undefined): AbsentFromBundleError {
  return new AbsentFromBundleError(
    `the working-day calendar is not in the bundle of ${functionName ?? 'this function'}: a function that computes working-day deadlines (its deps.calendar) needs access.workingDayCalendar in functions/function-list.ts (see infra/bundling.ts, optionalPackages)`,
  );
}
