/**
 * The Parameters and Secrets extension layer (infra/constructs/secrets-extension.ts) as CDK resolves it
 * for each kind of stack: a concrete standard region (literal arm64 ARN), a China region (x86_64 only),
 * an environment-agnostic stack (a region mapping read with Fn::FindInMap, without the China regions), and
 * a region CDK knows no layer for (a clear error at synth).
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { secretsExtensionArchitecture, secretsExtensionFor } from '#infra/constructs/secrets-extension.ts';

function synth(region: string | undefined) {
  const stack = new Stack(new App(), 'S', region ? { env: { region } } : {});
  const extension = secretsExtensionFor(stack, Duration.seconds(300));
  new lambda.Function(stack, 'F', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('export const handler = async () => 1;'),
    architecture: extension.architecture,
    paramsAndSecrets: extension.layer,
  });
  const template = Template.fromStack(stack).toJSON() as {
    Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
    Mappings?: Record<string, Record<string, Record<string, string>>>;
  };
  const fn = Object.values(template.Resources).find((r) => r.Type === 'AWS::Lambda::Function')!;
  return { fn: fn.Properties, mappings: template.Mappings ?? {} };
}

// aws-cdk-lib's first synth loads slowly on a busy machine.
describe('the Parameters and Secrets extension layer', { timeout: 120_000 }, () => {
  it('in a standard region: the arm64 layer as a literal ARN, TTL 300 s', () => {
    const { fn } = synth('ap-northeast-2');
    expect(fn.Architectures).toEqual(['arm64']);
    expect(fn.Layers).toEqual([
      expect.stringMatching(
        /^arn:aws:lambda:ap-northeast-2:\d{12}:layer:AWS-Parameters-and-Secrets-Lambda-Extension-Arm64:\d+$/,
      ),
    ]);
    expect((fn.Environment as { Variables: Record<string, string> }).Variables).toMatchObject({
      SECRETS_MANAGER_TTL: '300',
      PARAMETERS_SECRETS_EXTENSION_CACHE_ENABLED: 'true',
    });
  });

  it('in the China regions: the x86_64 layer (aws-cn), so the function runs on x86_64', () => {
    for (const region of ['cn-north-1', 'cn-northwest-1']) {
      const { fn } = synth(region);
      expect(fn.Architectures, region).toEqual(['x86_64']);
      expect(fn.Layers, region).toEqual([
        expect.stringMatching(
          new RegExp(
            `^arn:aws-cn:lambda:${region}:\\d{12}:layer:AWS-Parameters-and-Secrets-Lambda-Extension:\\d+$`,
          ),
        ),
      ]);
    }
    // CDK alone refuses arm64 there.
    const stack = new Stack(new App(), 'C', { env: { region: 'cn-north-1' } });
    expect(
      () =>
        new lambda.Function(stack, 'F', {
          runtime: lambda.Runtime.NODEJS_22_X,
          handler: 'index.handler',
          code: lambda.Code.fromInline('x'),
          architecture: lambda.Architecture.ARM_64,
          paramsAndSecrets: lambda.ParamsAndSecretsLayerVersion.fromVersion(
            lambda.ParamsAndSecretsVersions.V1_0_103,
          ),
        }),
    ).toThrow(/not supported in region cn-north-1 for arm64/);
  });

  it('in an environment-agnostic stack: Fn::FindInMap on AWS::Region over a mapping without the China regions', () => {
    const { fn, mappings } = synth(undefined);
    expect(fn.Architectures).toEqual(['arm64']);
    const layers = fn.Layers as { 'Fn::FindInMap': [string, { Ref: string }, string] }[];
    expect(layers).toHaveLength(1);
    const [mapName, region] = layers[0]!['Fn::FindInMap'];
    expect(region).toEqual({ Ref: 'AWS::Region' });
    const regions = Object.keys(mappings[mapName] ?? {});
    expect(regions).toContain('ap-northeast-2');
    expect(regions.filter((r) => r.startsWith('cn-'))).toEqual([]);
  });

  it('refuses a region CDK knows no layer for, naming it', () => {
    expect(() => secretsExtensionArchitecture('xx-nowhere-1')).toThrow(/no layer in xx-nowhere-1/);
  });
});
