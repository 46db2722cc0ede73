/**
 * The AWS Parameters and Secrets Lambda Extension layer of the functions that read Secrets Manager secrets
 * (functions/edge/secrets-extension.ts), through CDK's own support (`lambda.ParamsAndSecretsLayerVersion`,
 * the Function prop `paramsAndSecrets`): CDK takes the layer's ARN from its region facts (aws-cdk-lib
 * region-info) and sets the extension's environment (`SECRETS_MANAGER_TTL`…).
 *
 * Which layer a stack gets:
 * - a stack with a concrete region: the ARN for that region and architecture, as a literal. The facts have
 *   arm64 layers in the standard partition only; in the China regions (aws-cn) there is an x86_64 layer
 *   only, so there the functions that read secrets run on x86_64 (the bundles are plain JavaScript) — with
 *   arm64 CDK would refuse to synthesize ("Parameters and Secrets Extension is not supported in region …
 *   for arm64 architecture").
 * - an environment-agnostic stack (region unresolved): a CloudFormation mapping of every region CDK knows
 *   an arm64 layer for, read with `Fn::FindInMap` on `AWS::Region`; deployed where the mapping has no entry
 *   (the China regions) CloudFormation fails the deployment. certflow's app always names its region
 *   (infra/config.ts), so this is for embedders.
 * AWS's list of layer ARNs: https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_lambda.html
 */
import { type Duration, Stack, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import type { Construct } from 'constructs';

/** The extension's version (the latest CDK knows). */
export const SECRETS_EXTENSION_VERSION = lambda.ParamsAndSecretsVersions.V1_0_103;

export interface SecretsExtension {
  readonly layer: lambda.ParamsAndSecretsLayerVersion;
  /** The architecture the function must use for this region's layer. */
  readonly architecture: lambda.Architecture;
}

/**
 * The extension layer for a function in `scope`'s stack, caching secrets `ttl` (≤ 300 s, the extension's
 * maximum) and logging warnings only. Throws when the stack's region has no layer for either architecture.
 */
export function secretsExtensionFor(scope: Construct, ttl: Duration): SecretsExtension {
  const layer = lambda.ParamsAndSecretsLayerVersion.fromVersion(SECRETS_EXTENSION_VERSION, {
    cacheEnabled: true,
    secretsManagerTtl: ttl,
    logLevel: lambda.ParamsAndSecretsLogLevel.WARN,
  });
  return { layer, architecture: secretsExtensionArchitecture(Stack.of(scope).region) };
}

/** arm64 where CDK knows the region's arm64 layer (or the region is unresolved), else x86_64 if it has one. */
export function secretsExtensionArchitecture(region: string): lambda.Architecture {
  if (Token.isUnresolved(region)) return lambda.Architecture.ARM_64;
  const info = RegionInfo.get(region);
  if (info.paramsAndSecretsLambdaLayerArn(SECRETS_EXTENSION_VERSION, 'arm64'))
    return lambda.Architecture.ARM_64;
  if (info.paramsAndSecretsLambdaLayerArn(SECRETS_EXTENSION_VERSION, 'x86_64'))
    return lambda.Architecture.X86_64;
  throw new Error(
    `the AWS Parameters and Secrets Lambda Extension has no layer in ${region} (aws-cdk-lib region-info): certflow's functions read their secrets through it`,
  );
}
