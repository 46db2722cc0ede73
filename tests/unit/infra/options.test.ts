/**
 * Context options that change the shape of the app (custom domains, WAF, CORS origins), synthesized
 * without functions (nothing to bundle, so this stays fast), plus the failure paths of loading sources.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FunctionSpec } from '#functions/function-list.ts';
import { buildCertflowApp, loadSources, MissingHandlerError } from '#infra/certflow-app.ts';
import { parseConfig } from '#infra/config.ts';
import { CertificateWorkflow, UnknownPlaceholderError } from '#infra/constructs/workflow.ts';
import { cdkJsonContext } from './synth.ts';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'certflow-infra-options-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const context = {
  stage: 'prod',
  region: 'ap-northeast-2',
  apiDomainName: 'api.certflow.example.org',
  apiCertificateArn:
    'arn:aws:acm:ap-northeast-2:123456789012:certificate/11111111-2222-3333-4444-555555555555',
  webDomainName: 'certflow.example.org',
  webCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/66666666-7777-8888-9999-000000000000',
  webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/certflow/abc',
};

describe('custom domains, WAF and CORS from context', () => {
  let template: Template;
  let report: { pluginReports: { pluginName: string; violations: { ruleName: string }[] }[] } | undefined;

  beforeAll(() => {
    const outdir = tempDir();
    const site = tempDir();
    writeFileSync(join(site, 'index.html'), '<!doctype html><title>certflow</title>');
    const { flags, settings } = cdkJsonContext();
    const app = new App({ outdir, context: flags });
    const stacks = buildCertflowApp(app, parseConfig({ ...settings, ...context }), {
      functions: [],
      missing: [],
      workflowDefinition: { StartAt: 'Done', States: { Done: { Type: 'Succeed' } } },
      webAssetsDir: site,
    });
    app.synth();
    template = Template.fromStack(stacks.stateless);
    try {
      report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'));
    } catch {
      report = undefined;
    }
  }, 120_000);

  it('maps the API to its custom domain with TLS 1.2', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      DomainName: context.apiDomainName,
      DomainNameConfigurations: [
        Match.objectLike({ CertificateArn: context.apiCertificateArn, SecurityPolicy: 'TLS_1_2' }),
      ],
    });
    template.resourceCountIs('AWS::ApiGatewayV2::ApiMapping', 1);
  });

  it('serves the web pages on their domain with TLS 1.2 and the web ACL', () => {
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: [context.webDomainName],
        ViewerCertificate: Match.objectLike({
          AcmCertificateArn: context.webCertificateArn,
          MinimumProtocolVersion: 'TLSv1.2_2021',
        }),
        WebACLId: context.webAclArn,
      }),
    });
  });

  it('allows the web domain by CORS and links answers to it', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({ AllowOrigins: [`https://${context.webDomainName}`] }),
    });
  });

  it('keeps cdk-nag clean without the no-domain and no-WAF acknowledgements', () => {
    const violations = report?.pluginReports.flatMap((p) => p.violations.map((v) => v.ruleName)) ?? [];
    expect(violations).toEqual([]);
  });
});

describe('loading the sources', () => {
  const ghost: FunctionSpec = {
    name: 'Ghost',
    entry: 'functions/http/ghost-that-does-not-exist.ts',
    description: 'a registry entry without a handler file',
    trigger: { kind: 'workflow' },
    access: { table: 'none', stateMachine: [], secrets: [] },
  };

  it('refuses to synthesize a registry entry whose handler file is missing, naming it', async () => {
    const config = parseConfig({ webAssets: 'tests/unit/infra/fixtures' });
    await expect(loadSources(config, [ghost])).rejects.toThrow(MissingHandlerError);
    await expect(loadSources(config, [ghost])).rejects.toThrow(/Ghost \(functions\/http\/ghost-that/);
  });

  it('leaves it out when allowMissingHandlers is set', async () => {
    const config = parseConfig({ allowMissingHandlers: 'true', webAssets: 'tests/unit/infra/fixtures' });
    const sources = await loadSources(config, [ghost]);
    expect(sources.functions).toEqual([]);
    expect(sources.missing.map((s) => s.name)).toEqual(['Ghost']);
  });

  it('rejects a definition placeholder that no registry function provides', () => {
    const stack = new Stack(new App(), 'S');
    expect(
      () =>
        new CertificateWorkflow(stack, 'W', {
          stage: 'test',
          definition: {
            StartAt: 'A',
            States: { A: { Type: 'Task', Resource: `\${NobodyFunctionArn}`, End: true } },
          },
          stepFunctions: new Map(),
          logRetention: 90,
          logRemovalPolicy: RemovalPolicy.DESTROY,
        }),
    ).toThrow(UnknownPlaceholderError);
  });
});
