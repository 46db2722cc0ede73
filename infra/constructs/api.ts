/**
 * The HTTP API: every route of docs/api.md, taken from the function registry. Officer and supervisor routes
 * sit behind a Cognito user pool JWT authorizer (the handler reads the role from `cognito:groups`);
 * department routes are public at the gateway and verified by signature in the handler (Standard Webhooks
 * needs the raw body, which an authorizer never sees); public routes are public.
 *
 * `GET /v1/requests/{requestId}` is the exception among token routes: a citizen reads their request with
 * the request's own access token (returned by intake), which Cognito did not issue. A JWT authorizer would
 * reject it, so the route has no gateway authorizer and the handler verifies either kind of token: the
 * request access token, or a Cognito JWT checked against the user pool's keys (issuer, client id, expiry,
 * `token_use`) with the groups claim deciding the role.
 */
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer, HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { HttpRoute } from '#functions/function-list.ts';
import type { CertflowFunction } from './certflow-function.ts';
import { idNumberProtection } from './log-protection.ts';

/** Token routes whose handler verifies the token itself (request access token or Cognito JWT). */
export const handlerVerifiedTokenRoutes: readonly HttpRoute[] = [
  'GET /v1/requests/{requestId}',
  // The registry's own system calls with its REGISTRY token (opaque, in the table), staff with a JWT.
  'POST /v1/registry/changes',
  // The complainant's own access token, or a supervisor's JWT.
  'GET /v1/complaints/{complaintId}',
  // Only the request's own access token rates it.
  'POST /v1/requests/{requestId}/rating',
  // The citizen session (cts_…, HMAC-signed by certflow after the one-time code): verified in the handler.
  'GET /v1/citizen/exchange-records',
  'GET /v1/citizen/requests',
];

/** The public intake route, throttled tighter than the rest. */
export const intakeRoute: HttpRoute = 'POST /v1/requests';

export type GatewayAuth = 'jwt' | 'none-public' | 'none-signed' | 'none-token-in-handler';

export interface ApiRoute {
  readonly routeKey: HttpRoute;
  readonly method: string;
  readonly path: string;
  readonly fn: CertflowFunction;
  readonly gatewayAuth: GatewayAuth;
}

/**
 * How staff authenticate: `cognito` (Cognito user pool, JWT authorizer on the staff routes), `oidc` (any
 * OpenID issuer by its discovery URL, a generic JWT authorizer on the staff routes; infra/identity.ts) or
 * `tokens` (interim: opaque staff tokens issued with `npm run admin -- staff add`, stored hashed and
 * verified by the handlers exactly as on the local stack; the staff routes then have no gateway authorizer).
 */
export type StaffAuth = 'cognito' | 'oidc' | 'tokens';

/** Where the gateway's staff authorizer checks tokens: the user pool, or an OpenID issuer. */
export type StaffTokenIssuer =
  | {
      readonly kind: 'cognito';
      readonly userPool: cognito.IUserPool;
      readonly client: cognito.IUserPoolClient;
    }
  | { readonly kind: 'oidc'; readonly issuer: string; readonly audience: string }
  | { readonly kind: 'tokens' };

/**
 * The gateway authorizer of the staff routes: the user pool authorizer, or API Gateway's JWT authorizer
 * for an OpenID issuer (it reads the issuer's discovery document, checks signature, `iss`, expiry and
 * that `aud` — or `client_id` when the token has no `aud` — is the audience). None with tokens.
 */
export function staffAuthorizer(issuer: StaffTokenIssuer): apigwv2.IHttpRouteAuthorizer | undefined {
  const identitySource = ['$request.header.Authorization'];
  if (issuer.kind === 'cognito')
    return new HttpUserPoolAuthorizer('Staff', issuer.userPool, {
      authorizerName: 'staff',
      userPoolClients: [issuer.client],
      identitySource,
    });
  if (issuer.kind === 'oidc')
    return new HttpJwtAuthorizer('Staff', issuer.issuer, {
      authorizerName: 'staff',
      jwtAudience: [issuer.audience],
      identitySource,
    });
  return undefined;
}

/** Every route of every HTTP function of the registry, with how the gateway authorises it. */
export function routesOf(
  functions: readonly Pick<CertflowFunction, 'spec'>[],
  staffAuth: StaffAuth = 'cognito',
): ApiRoute[] {
  const routes: ApiRoute[] = [];
  for (const fn of functions) {
    const { trigger } = fn.spec;
    if (trigger.kind !== 'http') continue;
    for (const routeKey of trigger.routes) {
      const [method, path] = routeKey.split(' ') as [string, string];
      const gatewayAuth: GatewayAuth =
        trigger.auth === 'public'
          ? 'none-public'
          : trigger.auth === 'signed'
            ? 'none-signed'
            : trigger.auth === 'citizen'
              ? 'none-token-in-handler'
              : staffAuth === 'tokens' || handlerVerifiedTokenRoutes.includes(routeKey)
                ? 'none-token-in-handler'
                : 'jwt';
      routes.push({ routeKey, method, path, fn: fn as CertflowFunction, gatewayAuth });
    }
  }
  return routes;
}

export interface CertflowApiProps {
  readonly stage: string;
  readonly functions: readonly CertflowFunction[];
  /** Who issues the staff's JWTs (the gateway authorizer of the staff routes). */
  readonly staffIssuer: StaffTokenIssuer;
  readonly rateLimit: number;
  readonly burstLimit: number;
  readonly intakeRateLimit: number;
  readonly intakeBurstLimit: number;
  /** Browser origins allowed by CORS besides the web pages' own (which reach the API same-origin). */
  readonly corsOrigins: readonly string[];
  readonly domain?: { readonly name: string; readonly certificateArn: string };
  readonly logRetention: logs.RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
}

export class CertflowApi extends Construct {
  readonly httpApi: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;
  readonly accessLogs: logs.LogGroup;
  readonly routes: readonly ApiRoute[];
  readonly cfnRoutes: ReadonlyMap<HttpRoute, apigwv2.HttpRoute>;
  readonly domainName?: apigwv2.DomainName;

  constructor(scope: Construct, id: string, props: CertflowApiProps) {
    super(scope, id);

    this.httpApi = new apigwv2.HttpApi(this, 'HttpApi', {
      apiName: `certflow-${props.stage}`,
      description: 'certflow HTTP API v1 (docs/api.md)',
      createDefaultStage: false,
      corsPreflight:
        props.corsOrigins.length > 0
          ? {
              allowOrigins: [...props.corsOrigins],
              allowMethods: [apigwv2.CorsHttpMethod.GET, apigwv2.CorsHttpMethod.POST],
              allowHeaders: ['content-type', 'authorization', 'idempotency-key'],
              exposeHeaders: ['retry-after', 'location'],
              maxAge: Duration.days(1),
            }
          : undefined,
      disableExecuteApiEndpoint: false,
    });

    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      logGroupName: `/aws/vendedlogs/apigateway/certflow-${props.stage}`,
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy,
      dataProtectionPolicy: idNumberProtection(),
    });

    if (props.domain) {
      this.domainName = new apigwv2.DomainName(this, 'Domain', {
        domainName: props.domain.name,
        certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', props.domain.certificateArn),
        securityPolicy: apigwv2.SecurityPolicy.TLS_1_2,
      });
    }

    this.stage = new apigwv2.HttpStage(this, 'Stage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.rateLimit, burstLimit: props.burstLimit },
      // Per-route metrics are billed as custom metrics (≈ 6 per route); the stage-level ones are free.
      detailedMetricsEnabled: false,
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(this.accessLogs),
        // Structured (JSON) access logs; no query strings or headers, so no tokens or codes get logged.
        format: apigw.AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            time: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            method: '$context.httpMethod',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            latencyMs: '$context.responseLatency',
            integrationLatencyMs: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
          }),
        ),
      },
      domainMapping: this.domainName ? { domainName: this.domainName } : undefined,
    });

    const authorizer = staffAuthorizer(props.staffIssuer);
    this.routes = routesOf(props.functions, props.staffIssuer.kind);
    const integrations = new Map<CertflowFunction, HttpLambdaIntegration>();
    const cfnRoutes = new Map<HttpRoute, apigwv2.HttpRoute>();
    for (const route of this.routes) {
      let integration = integrations.get(route.fn);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${route.fn.spec.name}Integration`, route.fn.function, {
          payloadFormatVersion: apigwv2.PayloadFormatVersion.VERSION_2_0,
        });
        integrations.set(route.fn, integration);
      }
      const [created] = this.httpApi.addRoutes({
        path: route.path,
        methods: [route.method as apigwv2.HttpMethod],
        integration,
        authorizer: route.gatewayAuth === 'jwt' && authorizer ? authorizer : new apigwv2.HttpNoneAuthorizer(),
      });
      if (created) cfnRoutes.set(route.routeKey, created);
    }
    this.cfnRoutes = cfnRoutes;

    // The public intake route gets its own, tighter limit (per route; per client address is the handler's).
    if (this.routes.some((r) => r.routeKey === intakeRoute)) {
      const cfnStage = this.stage.node.defaultChild as apigwv2.CfnStage;
      cfnStage.routeSettings = {
        [intakeRoute]: {
          ThrottlingRateLimit: props.intakeRateLimit,
          ThrottlingBurstLimit: props.intakeBurstLimit,
        },
      };
      // Route settings name the route by key; the stage must come after the route exists.
      const route = cfnRoutes.get(intakeRoute);
      if (route) this.stage.node.addDependency(route);
    }
  }

  /** `https://…` of the default endpoint (`$default` stage: no stage path). */
  get url(): string {
    return this.httpApi.apiEndpoint;
  }
}
