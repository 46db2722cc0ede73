/**
 * What `@aws-sdk/credential-provider-node` resolves to inside the Lambda bundles (esbuild
 * `--alias:@aws-sdk/credential-provider-node=…`, see infra/bundling.ts): the environment provider only.
 *
 * Every SDK client's Node runtime config takes its default credentials from this package's
 * `defaultProvider` — the whole chain (environment, SSO, ini files, process, web identity, ECS/IMDS),
 * which bundles the nested STS and SSO clients (~150 KB minified of each function). Lambda gives a
 * function its role's credentials in the environment (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
 * `AWS_SESSION_TOKEN`; AWS Lambda Developer Guide, "Defined runtime environment variables"), which the
 * chain's first link reads; the other links are never reached there. With no such variables the
 * provider throws `CredentialsProviderError` ("Unable to find environment variable credentials.").
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

/** `(init?) => () => Promise<AwsCredentialIdentity>`: the same shape as the chain's `defaultProvider`. */
export const defaultProvider: typeof fromEnv = (init) => fromEnv(init);
