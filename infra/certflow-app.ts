/**
 * Builds the certflow CDK app from its sources — the function registry, the workflow definition, the
 * shared table definition and the web pages — so that `infra/app.ts` (cdk synth/deploy) and the infra
 * tests build exactly the same thing.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { type FunctionSpec, functions as registry } from '#functions/function-list.ts';
import { certificateRequestDefinition } from '#workflows/certificate-request.ts';
import { complaintDefinition } from '#workflows/complaint.ts';
import { entryPath, repoRoot } from './bundling.ts';
import { type CertflowConfig, isChinaRegion, regionOf } from './config.ts';
import { functionNameOf } from './constructs/certflow-function.ts';
import { EdgeStack } from './edge-stack.ts';
import { staffIdentityOf } from './identity.ts';
import { suppressAcceptedFindings } from './nag.ts';
import { StatefulStack } from './stateful-stack.ts';
import { StatelessStack } from './stateless-stack.ts';

export class MissingHandlerError extends Error {
  override name = 'MissingHandlerError';
}

export interface CertflowSources {
  /** Registry entries to deploy. */
  readonly functions: readonly FunctionSpec[];
  /** Registry entries left out because their handler file does not exist (only with allowMissingHandlers). */
  readonly missing: readonly FunctionSpec[];
  /** The certificate-request definition (unsubstituted). */
  readonly workflowDefinition: unknown;
  /** The complaint definition (unsubstituted). */
  readonly complaintWorkflowDefinition?: unknown;
  /** Folder of built web pages to upload, if any. */
  readonly webAssetsDir?: string;
  /** True when webAssetsDir is a temporary build (remove it after synth). */
  readonly webAssetsBuilt?: boolean;
}

/** Builds the web pages with the web engineer's `writeSite` (web/build.ts) into a fresh folder. */
export async function buildWebAssets(): Promise<string | undefined> {
  if (!entryPath('web/build.ts').exists) return undefined;
  const specifier = join(repoRoot, 'web/build.ts');
  const web = (await import(specifier)) as { writeSite?: (dir: string) => Promise<unknown> };
  if (typeof web.writeSite !== 'function') return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'certflow-infra-web-'));
  await web.writeSite(dir);
  return dir;
}

export async function loadSources(
  config: CertflowConfig,
  specs: readonly FunctionSpec[] = registry,
): Promise<CertflowSources> {
  const missing = specs.filter((spec) => !entryPath(spec.entry).exists);
  if (missing.length > 0 && !config.allowMissingHandlers) {
    throw new MissingHandlerError(
      `Handler files missing for ${missing.map((s) => `${s.name} (${s.entry})`).join(', ')}; ` +
        'pass -c allowMissingHandlers=true to synthesize without them.',
    );
  }
  const webAssetsDir = config.webAssets ? join(repoRoot, config.webAssets) : await buildWebAssets();
  return {
    functions: specs.filter((spec) => !missing.includes(spec)),
    missing,
    workflowDefinition: certificateRequestDefinition,
    complaintWorkflowDefinition: complaintDefinition,
    webAssetsDir,
    webAssetsBuilt: !config.webAssets && webAssetsDir !== undefined,
  };
}

export interface CertflowStacks {
  readonly stateful: StatefulStack;
  readonly stateless: StatelessStack;
  /** The us-east-1 WAF web ACL (per-client intake limit); none with webAclArn or rateLimitPerClient 0. */
  readonly edge?: EdgeStack;
}

export function buildCertflowApp(app: App, config: CertflowConfig, sources: CertflowSources): CertflowStacks {
  // A concrete region (TableV2 with a customer-managed key needs one); the account stays unresolved
  // (taken from the credentials at deploy time), so synth needs no AWS access.
  const env = { region: regionOf(config), account: process.env.CDK_DEFAULT_ACCOUNT };
  // The China regions (partition aws-cn): no Cognito (staffAuth oidc or tokens, infra/config.ts), and no
  // CloudFront distribution with a CloudFront function and origin access control, nor the us-east-1 WAF
  // edge stack: the API is served from its own endpoint and the pages need another host (an S3 website or
  // the API behind an ICP-filed domain; see the README's "A cell in the China regions").
  const china = isChinaRegion(env.region);
  const webAssetsDir = china ? undefined : sources.webAssetsDir;
  const prefix = `Certflow-${config.stage}`;

  // Cognito sign-in: the user pool's pre token generation trigger (the officers' stations claim).
  const cognitoStaff = staffIdentityOf(config).kind === 'cognito';
  const tokenClaims = sources.functions.find((f) => f.trigger.kind === 'preTokenGeneration');
  const stateful = new StatefulStack(app, `${prefix}-Stateful`, {
    env,
    stage: config.stage,
    webOrigins: [...(config.webDomainName ? [`https://${config.webDomainName}`] : []), ...config.webOrigins],
    ...(config.signInDomainPrefix ? { signInDomainPrefix: config.signInDomainPrefix } : {}),
    cognito: cognitoStaff,
    ...(cognitoStaff && tokenClaims
      ? { preTokenGenerationFunctionName: functionNameOf(config.stage, tokenClaims.name) }
      : {}),
    description: `certflow ${config.stage}: table, key, department secrets, staff user pool (retained)`,
    terminationProtection: true,
  });
  // The per-client intake limit at the edge: a CloudFront web ACL, which only us-east-1 can hold.
  const edge =
    config.rateLimitPerClient > 0 && !config.webAclArn && webAssetsDir
      ? new EdgeStack(app, `${prefix}-Edge`, {
          env: { ...env, region: 'us-east-1' },
          stage: config.stage,
          rateLimitPerClient: config.rateLimitPerClient,
          description: `certflow ${config.stage}: WAF web ACL of the web distribution (per-client intake limit)`,
        })
      : undefined;
  const stateless = new StatelessStack(app, `${prefix}-Stateless`, {
    env,
    ...(edge ? { crossRegionReferences: true, webAclArn: edge.webAcl.attrArn } : {}),
    description: `certflow ${config.stage}: functions, workflow, API, web pages, schedule, alarms`,
    config,
    stateful,
    functions: sources.functions,
    workflowDefinition: sources.workflowDefinition,
    complaintWorkflowDefinition: sources.complaintWorkflowDefinition,
    ...(webAssetsDir ? { webAssetsDir } : {}),
  });
  for (const stack of edge ? [stateful, stateless, edge] : [stateful, stateless]) {
    Tags.of(stack).add('project', 'certflow');
    Tags.of(stack).add('stage', config.stage);
  }

  suppressAcceptedFindings(stateful, stateless, config);
  if (config.nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { stateful, stateless, ...(edge ? { edge } : {}) };
}
