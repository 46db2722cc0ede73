/**
 * `Certflow-<stage>-Edge` (us-east-1): the CloudFront-scope WAF web ACL of the web distribution, with the
 * per-client intake limit the local gateway also enforces (`rateLimitPerClient` requests a minute per
 * viewer address on `POST /v1/requests`; past it, 429 with Retry-After and the same problem+json body as
 * the handler's). A CloudFront web ACL can only be created in us-east-1, and WAF cannot attach to an API
 * Gateway HTTP API at all, so the limit sits where every browser request enters: CloudFront, which also
 * routes `/v1/*` to the API (one origin). The ARN reaches the regional stateless stack through CDK's
 * cross-region references (an SSM parameter written here, read there at deploy time).
 *
 * Calls that skip CloudFront and go to the API's execute-api URL directly are refused by the handlers (no
 * secret origin header: functions/edge/origin-verify.ts); calls on the API's custom domain
 * (`apiDomainName`) are bounded by the stage's route throttling (`intakeRateLimit`, `intakeBurstLimit`).
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import { tooManyRequests } from '#shared/http/problem.ts';
import { accountabilityPolicy } from '#shared/policy/accountability.ts';

/** WAF's rate-based rules count over a window of 60, 120, 300 or 600 seconds. */
export const EDGE_WINDOW_SECONDS = 60;
/** The intake route the rule limits (method and exact path). */
export const INTAKE_ROUTE = { method: 'POST', path: '/v1/requests' } as const;

/** The complaint route, limited per viewer address over WAF's longest window (600 s). */
export const COMPLAINT_ROUTE = { method: 'POST', path: '/v1/complaints' } as const;
export const COMPLAINT_WINDOW_SECONDS = 600;

/**
 * The per-address complaint limit of the policy data (`complaintsPerAddressPerHour`) as a WAF limit over
 * 600 seconds: a sixth of the hourly figure, at least WAF's minimum of 10 (so the edge is looser than the
 * hour the local gateway counts; the per-phone limit in the handler holds either way).
 */
export function complaintLimitPer600s(perHour: number): number {
  return Math.max(10, Math.ceil(perHour / 6));
}

export interface EdgeStackProps extends StackProps {
  readonly stage: string;
  /** Intake requests a minute per viewer address (WAF's minimum limit is 10). */
  readonly rateLimitPerClient: number;
}

const exactly = (fieldToMatch: wafv2.CfnWebACL.FieldToMatchProperty, searchString: string) => ({
  byteMatchStatement: {
    fieldToMatch,
    positionalConstraint: 'EXACTLY',
    searchString,
    textTransformations: [{ priority: 0, type: 'NONE' }],
  },
});

export class EdgeStack extends Stack {
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: EdgeStackProps) {
    super(scope, id, { ...props, crossRegionReferences: true });
    const metric = (name: string) => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName: `certflow-${props.stage}-${name}`,
    });
    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      name: `certflow-${props.stage}-edge`,
      description: `certflow ${props.stage}: per-client intake limit in front of the web pages and /v1 API`,
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: metric('edge'),
      customResponseBodies: {
        'too-many-requests': {
          contentType: 'APPLICATION_JSON',
          content: JSON.stringify(tooManyRequests(EDGE_WINDOW_SECONDS)),
        },
        'too-many-complaints': {
          contentType: 'APPLICATION_JSON',
          content: JSON.stringify(tooManyRequests(COMPLAINT_WINDOW_SECONDS)),
        },
      },
      rules: [
        {
          name: 'IntakePerClient',
          priority: 0,
          statement: {
            rateBasedStatement: {
              limit: props.rateLimitPerClient,
              evaluationWindowSec: EDGE_WINDOW_SECONDS,
              aggregateKeyType: 'IP',
              scopeDownStatement: {
                andStatement: {
                  statements: [
                    exactly({ method: {} }, INTAKE_ROUTE.method),
                    exactly({ uriPath: {} }, INTAKE_ROUTE.path),
                  ],
                },
              },
            },
          },
          action: {
            block: {
              customResponse: {
                responseCode: 429,
                customResponseBodyKey: 'too-many-requests',
                responseHeaders: [{ name: 'retry-after', value: String(EDGE_WINDOW_SECONDS) }],
              },
            },
          },
          visibilityConfig: metric('intake-per-client'),
        },
        {
          name: 'ComplaintsPerClient',
          priority: 1,
          statement: {
            rateBasedStatement: {
              limit: complaintLimitPer600s(accountabilityPolicy.limits.complaintsPerAddressPerHour),
              evaluationWindowSec: COMPLAINT_WINDOW_SECONDS,
              aggregateKeyType: 'IP',
              scopeDownStatement: {
                andStatement: {
                  statements: [
                    exactly({ method: {} }, COMPLAINT_ROUTE.method),
                    exactly({ uriPath: {} }, COMPLAINT_ROUTE.path),
                  ],
                },
              },
            },
          },
          action: {
            block: {
              customResponse: {
                responseCode: 429,
                customResponseBodyKey: 'too-many-complaints',
                responseHeaders: [{ name: 'retry-after', value: String(COMPLAINT_WINDOW_SECONDS) }],
              },
            },
          },
          visibilityConfig: metric('complaints-per-client'),
        },
      ],
    });
  }
}
