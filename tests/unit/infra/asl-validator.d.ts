declare module 'asl-validator' {
  interface AslValidatorResult {
    isValid: boolean;
    errors: { message?: string }[];
    errorsText: (separator?: string) => string;
  }
  function aslValidator(
    definition: unknown,
    options?: { checkPaths?: boolean; checkArn?: boolean },
  ): AslValidatorResult;
  export default aslValidator;
}
