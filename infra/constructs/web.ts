/**
 * The web pages (web/, built by the web engineer's `writeSite`) in a private S3 bucket behind CloudFront
 * with origin access control. The pages call the API with relative `/v1/…` paths, so CloudFront also
 * routes `/v1/*` to the HTTP API: pages and API share one origin, no CORS needed for them.
 * Clean page paths (`/requests/{id}`, `/verify`, …) are mapped to their HTML files by a CloudFront
 * Function mirroring `pageFileForPath` of web/build.ts (the infra tests compare the two).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Duration, Fn, RemovalPolicy } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { SECURITY_HEADERS } from '#shared/http/security-headers.ts';

/** Viewer-request router (cloudfront-js-2.0): clean page paths → the HTML file that serves them. */
export const siteRouterCode = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri === '/') {
    request.uri = '/index.html';
  } else if (/^\\/requests\\/[A-Za-z0-9_-]{1,128}\\/?$/.test(uri)) {
    request.uri = '/status.html';
  } else {
    var page = uri.match(/^\\/(verify|console|dashboard|platform|api|transparency|my-data)\\/?$/);
    if (page) request.uri = '/' + page[1] + '.html';
  }
  return request;
}`;

/**
 * The response headers policy props of the pages from SECURITY_HEADERS (the headers the local site
 * sends): the headers CloudFront models as security headers go there (overriding the origin's), the rest
 * as custom headers; plus HSTS (two years, subdomains), which only the HTTPS home sends.
 */
export function pageHeadersPolicyProps(
  headers: Readonly<Record<string, string>> = SECURITY_HEADERS,
): cloudfront.ResponseHeadersPolicyProps {
  const {
    'content-security-policy': csp,
    'x-content-type-options': nosniff,
    'referrer-policy': referrer,
    'x-frame-options': frame,
    ...custom
  } = headers;
  const referrerPolicies = Object.values(cloudfront.HeadersReferrerPolicy) as string[];
  const frameOptions = Object.values(cloudfront.HeadersFrameOption) as string[];
  if (
    !csp ||
    nosniff !== 'nosniff' ||
    !referrer ||
    !referrerPolicies.includes(referrer) ||
    !frame ||
    !frameOptions.includes(frame)
  )
    throw new TypeError(
      'SECURITY_HEADERS: CloudFront needs a CSP, nosniff, a referrer policy and frame options',
    );
  return {
    comment: 'certflow pages: the security headers of shared/http/security-headers.ts',
    securityHeadersBehavior: {
      contentSecurityPolicy: { contentSecurityPolicy: csp, override: true },
      contentTypeOptions: { override: true },
      referrerPolicy: { referrerPolicy: referrer as cloudfront.HeadersReferrerPolicy, override: true },
      frameOptions: { frameOption: frame as cloudfront.HeadersFrameOption, override: true },
      strictTransportSecurity: {
        accessControlMaxAge: Duration.days(730),
        includeSubdomains: true,
        override: true,
      },
    },
    customHeadersBehavior: {
      customHeaders: Object.entries(custom).map(([header, value]) => ({ header, value, override: true })),
    },
  };
}

export interface CertflowWebProps {
  readonly stage: string;
  /** Folder of the built site (pages at the top, content-hashed files under assets/). */
  readonly assetsDir: string;
  /** The HTTP API's default endpoint (`https://{id}.execute-api.{region}.amazonaws.com`). */
  readonly apiEndpoint: string;
  readonly domain?: { readonly name: string; readonly certificateArn: string };
  /** CloudFront-scope WAF web ACL (us-east-1). */
  readonly webAclArn?: string;
  /**
   * The secret header CloudFront adds to every request to the API (functions/edge/origin-verify.ts): the
   * handlers refuse execute-api calls without it. `value` is a deploy-time (dynamic) reference.
   */
  readonly originVerify?: { readonly header: string; readonly value: string };
  /**
   * The staff pages' OpenID sign-in, deployed as `/auth-config.json` (web/src/lib/oidc.ts reads it):
   * the issuer (its discovery document names the endpoints), the public client, the scopes.
   */
  readonly authConfig?: { readonly issuer: string; readonly clientId: string; readonly scope: string };
}

export class CertflowWeb extends Construct {
  readonly bucket: s3.Bucket;
  readonly logBucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  readonly router: cloudfront.Function;
  readonly headersPolicy: cloudfront.ResponseHeadersPolicy;

  constructor(scope: Construct, id: string, props: CertflowWebProps) {
    super(scope, id);

    // Access logs of the site bucket and of CloudFront (CloudFront's standard logs need ACLs on this bucket).
    this.logBucket = new s3.Bucket(this, 'Logs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.bucket = new s3.Bucket(this, 'Site', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 'site-bucket/',
      // Only built files, rebuilt on every deploy: removed with the stack.
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });

    this.router = new cloudfront.Function(this, 'Router', {
      functionName: `certflow-${props.stage}-site-router`,
      comment: 'certflow: clean page paths to their HTML files',
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      code: cloudfront.FunctionCode.fromInline(siteRouterCode),
    });

    this.headersPolicy = new cloudfront.ResponseHeadersPolicy(this, 'PageHeaders', {
      responseHeadersPolicyName: `certflow-${props.stage}-page-headers`,
      ...pageHeadersPolicyProps(),
    });

    const apiDomain = Fn.select(2, Fn.split('/', props.apiEndpoint));
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `certflow ${props.stage} web pages and /v1 API`,
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.headersPolicy,
        functionAssociations: [
          { function: this.router, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST },
        ],
      },
      additionalBehaviors: {
        '/v1/*': {
          origin: new origins.HttpOrigin(apiDomain, {
            protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
            originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
            ...(props.originVerify
              ? { customHeaders: { [props.originVerify.header]: props.originVerify.value } }
              : {}),
          }),
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          // Never cache API answers; pass every viewer header (Authorization, Idempotency-Key, webhook-*)
          // except Host, which API Gateway needs to be its own.
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        },
      },
      domainNames: props.domain ? [props.domain.name] : undefined,
      certificate: props.domain
        ? acm.Certificate.fromCertificateArn(this, 'Certificate', props.domain.certificateArn)
        : undefined,
      // Only effective with a custom certificate (the default *.cloudfront.net one is fixed by CloudFront).
      minimumProtocolVersion: props.domain ? cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021 : undefined,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_200,
      webAclId: props.webAclArn,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
    });

    // Content-hashed assets: cached for a year, never pruned (pages still cached by browsers may name them).
    const hashedAssets = join(props.assetsDir, 'assets');
    if (existsSync(hashedAssets)) {
      new s3deploy.BucketDeployment(this, 'Assets', {
        sources: [s3deploy.Source.asset(hashedAssets)],
        destinationBucket: this.bucket,
        destinationKeyPrefix: 'assets/',
        cacheControl: [s3deploy.CacheControl.fromString('public, max-age=31536000, immutable')],
        prune: false,
        memoryLimit: 256,
      });
    }
    // Pages: revalidated on every visit; CloudFront's copies invalidated on deploy.
    new s3deploy.BucketDeployment(this, 'Pages', {
      sources: [
        s3deploy.Source.asset(props.assetsDir, { exclude: ['assets'] }),
        ...(props.authConfig ? [s3deploy.Source.jsonData('auth-config.json', props.authConfig)] : []),
      ],
      destinationBucket: this.bucket,
      exclude: ['assets/*'],
      cacheControl: [s3deploy.CacheControl.noCache()],
      distribution: this.distribution,
      distributionPaths: ['/*'],
      memoryLimit: 256,
    });
  }
}
