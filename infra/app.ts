/**
 * The certflow CDK app (`cdk.json`: `npx tsx infra/app.ts`). Settings come from CDK context — see
 * infra/config.ts and the README's "Deploy to AWS". Synthesizing needs no AWS account, no Docker and no
 * network: no context lookups, esbuild bundles locally.
 */
import { rmSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { buildCertflowApp, loadSources } from './certflow-app.ts';
import { contextKeys, parseConfig } from './config.ts';

const app = new App();
const context: Record<string, unknown> = {};
for (const key of contextKeys) {
  const value: unknown = app.node.tryGetContext(key);
  if (value !== undefined) context[key] = value;
}
const config = parseConfig(context);
const sources = await loadSources(config);
for (const spec of sources.missing) {
  console.warn(`certflow: ${spec.name} left out, its handler ${spec.entry} does not exist yet`);
}
buildCertflowApp(app, config, sources);
try {
  app.synth();
} finally {
  // The built pages were copied into the cloud assembly as an asset.
  if (sources.webAssetsBuilt && sources.webAssetsDir)
    rmSync(sources.webAssetsDir, { recursive: true, force: true });
}
