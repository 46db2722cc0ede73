/**
 * Cells in the AWS China regions (issue 18): one deployment per province, synthesized for `cn-north-1`
 * (staff through an OpenID issuer) and `cn-northwest-1` (the default staff tokens) beside the standard
 * partition (infra.test.ts). The partition comes from the stack (`aws-cn`), never a literal `arn:aws:`;
 * no Cognito, no CloudFront (function, origin access control) and no us-east-1 edge stack; cdk-nag clean.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type FunctionSpec, functions } from '#functions/function-list.ts';
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

describe.each(cells)('a cell in $region', ({ region, staffAuth, context }) => {
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

  it("gives only the functions that send SMS the gateway token's ARN (never a value) and read access to it", () => {
    const s = synthesized.get(region)!;
    const fns = Object.values(s.stateless.findResources('AWS::Lambda::Function')).filter((f) =>
      String(f.Properties.FunctionName ?? '').startsWith('certflow-'),
    );
    const withToken = fns.filter(
      (f) => f.Properties.Environment?.Variables?.CERTFLOW_SMS_GATEWAY_TOKEN_ARN !== undefined,
    );
    const senders = fns.filter((f) => f.Properties.Environment?.Variables?.CERTFLOW_SMS_PROVIDER === 'http');
    expect(withToken.length).toBe(context.smsProvider === 'http' ? senders.length : 0);
    if (context.smsProvider === 'http') expect(senders.length).toBeGreaterThan(0);
    for (const f of fns)
      expect(f.Properties.Environment?.Variables?.CERTFLOW_SMS_GATEWAY_TOKEN).toBeUndefined();
    const grants = Object.values(s.stateless.findResources('AWS::IAM::Policy')).flatMap((p) =>
      (p.Properties.PolicyDocument.Statement as { Sid?: string }[]).filter(
        (st) => st.Sid === 'ReadSmsGatewayToken',
      ),
    );
    expect(grants.length).toBe(withToken.length);
  });

  it("gives the secret readers the region's Parameters and Secrets extension layer (x86_64 only in China), so those run on x86_64", () => {
    const s = synthesized.get(region)!;
    const byName = new Map(
      Object.values(s.stateless.findResources('AWS::Lambda::Function'))
        .filter((f) => String(f.Properties.FunctionName ?? '').startsWith('certflow-'))
        .map((f) => [String(f.Properties.FunctionName).slice(`certflow-${context.stage}-`.length), f]),
    );
    let readers = 0;
    for (const spec of functions as readonly FunctionSpec[]) {
      const f = byName.get(spec.name);
      if (!f) continue;
      // No CloudFront here (no origin-verify secret); the SMS gateway's token with smsProvider http.
      const reads =
        spec.access.secrets.some((x) => x === 'token' || x === 'departments') ||
        (spec.access.sms === true && context.smsProvider === 'http');
      const layers = (f.Properties.Layers ?? []) as unknown[];
      if (reads) {
        readers += 1;
        expect(layers.map(String), spec.name).toEqual([
          expect.stringMatching(
            new RegExp(
              `^arn:aws-cn:lambda:${region}:\\d{12}:layer:AWS-Parameters-and-Secrets-Lambda-Extension:\\d+$`,
            ),
          ),
        ]);
        expect(f.Properties.Architectures, spec.name).toEqual(['x86_64']);
      } else {
        expect(layers, spec.name).toEqual([]);
        expect(f.Properties.Architectures, spec.name).toEqual(['arm64']);
      }
    }
    expect(readers).toBeGreaterThan(10);
  });

  it('leaves the SNS client out of every bundle: SMS go through the gateway, or nowhere', () => {
    const s = synthesized.get(region)!;
    const fns = Object.values(s.stateless.findResources('AWS::Lambda::Function')).filter((f) =>
      String(f.Properties.FunctionName ?? '').startsWith('certflow-'),
    );
    expect(fns.length).toBeGreaterThan(40);
    for (const f of fns) {
      const key = String((f.Properties.Code as { S3Key: string }).S3Key).replace(/\.zip$/, '');
      const code = readFileSync(join(s.outdir, `asset.${key}`, 'index.mjs'), 'utf8');
      expect(code.includes('AmazonSimpleNotificationService'), String(f.Properties.FunctionName)).toBe(false);
    }
  });

  it('reads the officer settings in the staff routes only with an OpenID issuer (no stations claim there), and deploys no Cognito trigger', () => {
    const s = synthesized.get(region)!;
    const fns = Object.entries(s.stateless.findResources('AWS::Lambda::Function')).filter(([, f]) =>
      String(f.Properties.FunctionName ?? '').startsWith('certflow-'),
    );
    const names = fns.map(([, f]) => String(f.Properties.FunctionName));
    expect(names).not.toContain(`certflow-${context.stage}-StaffTokenClaims`);
    expect(names).toContain(`certflow-${context.stage}-StationQueue`);
    const staffRoutes = new Set(
      functions
        .filter(
          (f) =>
            f.trigger.kind === 'http' && (f.access.secrets as readonly string[]).includes('officerSettings'),
        )
        .map((f) => `certflow-${context.stage}-${f.name}`),
    );
    const policies = Object.values(s.stateless.findResources('AWS::IAM::Policy'));
    for (const [id, f] of fns) {
      const name = String(f.Properties.FunctionName);
      const expected = staffAuth === 'oidc' && staffRoutes.has(name);
      const key = String((f.Properties.Code as { S3Key: string }).S3Key).replace(/\.zip$/, '');
      const code = readFileSync(join(s.outdir, `asset.${key}`, 'index.mjs'), 'utf8');
      expect(code.includes('AmazonSSM'), `${name} SSM client`).toBe(expected);
      expect(
        f.Properties.Environment?.Variables?.CERTFLOW_OFFICER_SETTINGS_PARAMETER !== undefined,
        name,
      ).toBe(expected);
      const role = JSON.stringify((f.Properties.Role as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0]);
      const grants = policies
        .filter((p) => JSON.stringify(p.Properties.Roles).includes(role.replaceAll('"', '')))
        .flatMap((p) => p.Properties.PolicyDocument.Statement as { Sid?: string; Action: string }[])
        .filter((st) => st.Sid === 'OfficerSettings');
      expect(
        grants.map((st) => st.Action),
        `${name} (${id})`,
      ).toEqual(expected ? ['ssm:GetParameter'] : []);
    }
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
