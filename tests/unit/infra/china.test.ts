/**
 * Cells in the AWS China regions (issue 18): one deployment per province, synthesized for `cn-north-1`
 * (staff through an OpenID issuer) and `cn-northwest-1` (the default staff tokens) beside the standard
 * partition (infra.test.ts). The partition comes from the stack (`aws-cn`), never a literal `arn:aws:`;
 * no Cognito, no CloudFront (function, origin access control) and no us-east-1 edge stack; cdk-nag clean.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultRegion, parseConfig } from '#infra/config.ts';
import { type Synthesized, synthesizeFor } from './synth.ts';

const cells = [
  {
    region: 'cn-north-1',
    context: {
      stage: 'jl',
      region: 'cn-north-1',
      oidcIssuerUrl: 'https://idp.example.gov.cn/realms/police',
      oidcClientId: 'certflow-console',
      smsProvider: 'http',
      smsGatewayUrl: 'https://sms.example.gov.cn/send',
    },
    staffAuth: 'oidc',
  },
  {
    region: 'cn-northwest-1',
    context: { stage: 'nx', region: 'cn-northwest-1', smsProvider: 'none' },
    staffAuth: 'tokens',
  },
] as const;

const synthesized = new Map<string, Synthesized>();
beforeAll(async () => {
  for (const cell of cells) synthesized.set(cell.region, await synthesizeFor(cell.context, false));
}, 600_000);

describe('the Jilin cell defaults to the China partition', () => {
  it('lands in cn-north-1 unless a region is named, with no Cognito there', () => {
    expect(defaultRegion).toBe('cn-north-1');
    expect(() => parseConfig({ region: 'cn-north-1', staffAuth: 'cognito' })).toThrow(/staffAuth/);
    expect(() => parseConfig({ region: 'cn-north-1', staffAuth: 'oidc' })).toThrow(/oidcIssuerUrl/);
    expect(parseConfig({ region: 'ap-northeast-2' }).staffAuth).toBe('cognito');
  });
});

describe.each(cells)('a cell in $region', ({ region, staffAuth }) => {
  it('synthesizes with no unacknowledged cdk-nag finding', () => {
    const s = synthesized.get(region)!;
    expect(s.nagViolations.map((v) => `${v.ruleName} (${v.severity}) ${v.paths.join(', ')}`)).toEqual([]);
    expect(s.synthError).toBeUndefined();
    expect(s.config.staffAuth).toBe(staffAuth);
  });

  it('takes the partition from the stack: aws-cn everywhere, never a literal arn:aws:', () => {
    const s = synthesized.get(region)!;
    for (const template of [s.stateful, s.stateless]) {
      const text = JSON.stringify(template.toJSON());
      expect(text).not.toMatch(/arn:aws:/);
      expect(text).not.toMatch(/amazonaws\.com\//); // no Cognito issuer URL
    }
    // The definition's service integrations take the deployed partition (`${Partition}` ← AWS::Partition).
    const machine = Object.values(s.stateless.findResources('AWS::StepFunctions::StateMachine'))[0]!;
    const props = machine.Properties as { DefinitionString: string; DefinitionSubstitutions: object };
    const placeholder = ['arn:$', '{Partition}:states:::lambda:invoke'].join('');
    expect(props.DefinitionString.includes(placeholder)).toBe(true);
    expect(props.DefinitionSubstitutions).toMatchObject({ Partition: { Ref: 'AWS::Partition' } });
    expect(s.stacks.stateless.region).toBe(region);
  });

  it('has no Cognito, no CloudFront and no us-east-1 edge stack', () => {
    const s = synthesized.get(region)!;
    for (const type of [
      'AWS::Cognito::UserPool',
      'AWS::CloudFront::Distribution',
      'AWS::CloudFront::Function',
      'AWS::CloudFront::OriginAccessControl',
    ]) {
      expect(Object.keys(s.stateful.findResources(type)), type).toEqual([]);
      expect(Object.keys(s.stateless.findResources(type)), type).toEqual([]);
    }
    expect(s.stacks.edge).toBeUndefined();
  });

  it('authorizes staff routes with the issuer it was given (oidc), or leaves them to the handlers (tokens)', () => {
    const s = synthesized.get(region)!;
    const authorizers = Object.values(s.stateless.findResources('AWS::ApiGatewayV2::Authorizer'));
    if (staffAuth === 'oidc') {
      expect(authorizers).toHaveLength(1);
      expect(authorizers[0]!.Properties).toMatchObject({
        AuthorizerType: 'JWT',
        JwtConfiguration: {
          Issuer: 'https://idp.example.gov.cn/realms/police',
          Audience: ['certflow-console'],
        },
      });
    } else expect(authorizers).toEqual([]);
  });
});
