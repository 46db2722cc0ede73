/**
 * The webhook verifier at its edges: the freshness window on both sides, missing and malformed headers,
 * the secret format, the signature version and rotation. Every case runs on a pinned clock.
 */
import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import type { Clock } from '#shared/clock.ts';
import {
  generateSecret,
  InvalidSecretError,
  secretKey,
  sign,
  signedHeaders,
  TOLERANCE_SECONDS,
  verify,
  WebhookVerificationError,
} from '#shared/webhooks/signature.ts';

const NOW_S = 1_795_000_000; // a fixed moment (2026-11-18); the verifier reads only this clock
const clockAt = (seconds: number): Clock => ({
  now: () => seconds * 1000 + 999, // the fraction of a second never counts
  sleepUntil: async () => {},
});
const clock = clockAt(NOW_S);
const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
const OTHER = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;
const BODY = '{"event":"finding","requestId":"r-1"}';

const problemOf = (f: () => unknown): string | undefined => {
  try {
    f();
    return undefined;
  } catch (e) {
    if (e instanceof WebhookVerificationError) return e.problem;
    if (e instanceof InvalidSecretError) return 'INVALID_SECRET';
    throw e;
  }
};

describe('the freshness window (5 minutes either side of the stack clock)', () => {
  it.each([
    { age: 0, problem: undefined },
    { age: 1, problem: undefined },
    { age: 120, problem: undefined },
    { age: TOLERANCE_SECONDS - 1, problem: undefined },
    { age: TOLERANCE_SECONDS, problem: undefined },
    { age: TOLERANCE_SECONDS + 1, problem: 'STALE_TIMESTAMP' },
    { age: 3600, problem: 'STALE_TIMESTAMP' },
    { age: -1, problem: undefined },
    { age: -120, problem: undefined },
    { age: -TOLERANCE_SECONDS, problem: undefined },
    { age: -TOLERANCE_SECONDS - 1, problem: 'FUTURE_TIMESTAMP' },
    { age: -3600, problem: 'FUTURE_TIMESTAMP' },
  ])('a message $age s old → $problem', ({ age, problem }) => {
    const headers = signedHeaders([SECRET], 'msg_1', NOW_S - age, BODY);
    expect(problemOf(() => verify([SECRET], headers, BODY, clock))).toBe(problem);
  });

  it('says which side of the window a message fell on', () => {
    const at = (age: number) => signedHeaders([SECRET], 'msg_1', NOW_S - age, BODY);
    expect(() => verify([SECRET], at(301), BODY, clock)).toThrow('webhook-timestamp is older than 5 minutes');
    expect(() => verify([SECRET], at(-301), BODY, clock)).toThrow(
      'webhook-timestamp is more than 5 minutes ahead',
    );
    expect(() => verify([], at(0), BODY, clock)).toThrow('no secret is configured for this sender');
  });

  it('is five minutes', () => {
    expect(TOLERANCE_SECONDS).toBe(300);
  });

  it('returns the id and the timestamp of an accepted message', () => {
    const headers = signedHeaders([SECRET], 'msg_42', NOW_S - 200, BODY);
    expect(verify([SECRET], headers, BODY, clock)).toEqual({ id: 'msg_42', timestamp: NOW_S - 200 });
  });
});

describe('headers', () => {
  const good = signedHeaders([SECRET], 'msg_1', NOW_S, BODY);
  it.each([
    { name: 'no webhook-id', headers: { ...good, 'webhook-id': undefined }, problem: 'MISSING_HEADERS' },
    { name: 'empty webhook-id', headers: { ...good, 'webhook-id': '' }, problem: 'MISSING_HEADERS' },
    {
      name: 'no webhook-timestamp',
      headers: { ...good, 'webhook-timestamp': undefined },
      problem: 'MISSING_HEADERS',
    },
    {
      name: 'no webhook-signature',
      headers: { ...good, 'webhook-signature': undefined },
      problem: 'MISSING_HEADERS',
    },
    { name: 'no headers at all', headers: {}, problem: 'MISSING_HEADERS' },
    {
      name: 'names in any case',
      headers: {
        'Webhook-Id': good['webhook-id'],
        'WEBHOOK-TIMESTAMP': good['webhook-timestamp'],
        'Webhook-Signature': good['webhook-signature'],
      },
      problem: undefined,
    },
    {
      name: 'milliseconds instead of seconds',
      headers: { ...good, 'webhook-timestamp': `${NOW_S}000` },
      problem: 'BAD_TIMESTAMP',
    },
    {
      name: 'a date string',
      headers: { ...good, 'webhook-timestamp': '2026-11-18T00:00:00Z' },
      problem: 'BAD_TIMESTAMP',
    },
    {
      name: 'a negative number',
      headers: { ...good, 'webhook-timestamp': `-${NOW_S}` },
      problem: 'BAD_TIMESTAMP',
    },
    { name: 'a decimal', headers: { ...good, 'webhook-timestamp': `${NOW_S}.5` }, problem: 'BAD_TIMESTAMP' },
    {
      name: 'digits with a prefix',
      headers: { ...good, 'webhook-timestamp': `x${NOW_S}` },
      problem: 'BAD_TIMESTAMP',
    },
    {
      name: 'digits with a suffix',
      headers: { ...good, 'webhook-timestamp': `${NOW_S}s` },
      problem: 'BAD_TIMESTAMP',
    },
    {
      name: 'thirteen digits',
      headers: { ...good, 'webhook-timestamp': '1795000000000' },
      problem: 'BAD_TIMESTAMP',
    },
    {
      name: 'a hex number',
      headers: { ...good, 'webhook-timestamp': '0x6afd0a80' },
      problem: 'BAD_TIMESTAMP',
    },
  ])('$name → $problem', ({ headers, problem }) => {
    expect(problemOf(() => verify([SECRET], headers, BODY, clock))).toBe(problem);
  });

  it('says which headers are required', () => {
    expect(() => verify([SECRET], {}, BODY, clock)).toThrow(
      'webhook-id, webhook-timestamp and webhook-signature are required',
    );
    const bad = { ...good, 'webhook-timestamp': 'soon' };
    expect(() => verify([SECRET], bad, BODY, clock)).toThrow('webhook-timestamp must be Unix seconds');
  });
});

describe('signatures', () => {
  const headers = signedHeaders([SECRET], 'msg_1', NOW_S, BODY);
  const mac = (secret: string, content: string) =>
    createHmac('sha256', secretKey(secret)).update(content).digest('base64');
  const withSignature = (sig: string) => ({ ...headers, 'webhook-signature': sig });
  const right = mac(SECRET, `msg_1.${NOW_S}.${BODY}`);

  it.each([
    { name: 'the right v1 signature', sig: `v1,${right}`, problem: undefined },
    {
      name: 'a signature of another secret',
      sig: `v1,${mac(OTHER, `msg_1.${NOW_S}.${BODY}`)}`,
      problem: 'BAD_SIGNATURE',
    },
    {
      name: 'a signature of another body',
      sig: `v1,${mac(SECRET, `msg_1.${NOW_S}.{}`)}`,
      problem: 'BAD_SIGNATURE',
    },
    {
      name: 'a signature of another id',
      sig: `v1,${mac(SECRET, `msg_2.${NOW_S}.${BODY}`)}`,
      problem: 'BAD_SIGNATURE',
    },
    {
      name: 'a signature of another time',
      sig: `v1,${mac(SECRET, `msg_1.${NOW_S - 1}.${BODY}`)}`,
      problem: 'BAD_SIGNATURE',
    },
    { name: 'the right value under another version', sig: `v2,${right}`, problem: 'BAD_SIGNATURE' },
    { name: 'the right value under an asymmetric version', sig: `v1a,${right}`, problem: 'BAD_SIGNATURE' },
    { name: 'the right value without a version', sig: right, problem: 'BAD_SIGNATURE' },
    { name: 'a version without a value', sig: 'v1,', problem: 'BAD_SIGNATURE' },
    { name: 'a version alone', sig: 'v1', problem: 'BAD_SIGNATURE' },
    { name: 'a truncated signature', sig: `v1,${right.slice(0, 20)}`, problem: 'BAD_SIGNATURE' },
    {
      name: 'a signature with a byte changed',
      sig: `v1,${right.startsWith('A') ? 'B' : 'A'}${right.slice(1)}`,
      problem: 'BAD_SIGNATURE',
    },
    { name: 'the right one after a wrong one', sig: `v1,${mac(OTHER, 'x')} v1,${right}`, problem: undefined },
    { name: 'the right one after another version', sig: `v2,abc v1,${right}`, problem: undefined },
    { name: 'the right one after an empty part', sig: `v1, v1,${right}`, problem: undefined },
  ])('$name → $problem', ({ sig, problem }) => {
    expect(problemOf(() => verify([SECRET], withSignature(sig), BODY, clock))).toBe(problem);
  });

  it('accepts a message signed by any configured secret (rotation), and refuses one signed by none', () => {
    const byOther = signedHeaders([OTHER], 'msg_1', NOW_S, BODY);
    expect(problemOf(() => verify([SECRET, OTHER], byOther, BODY, clock))).toBeUndefined();
    expect(problemOf(() => verify([OTHER, SECRET], headers, BODY, clock))).toBeUndefined();
    expect(problemOf(() => verify([SECRET], byOther, BODY, clock))).toBe('BAD_SIGNATURE');
  });

  it('signs with every secret during rotation, one v1 part each', () => {
    const both = signedHeaders([SECRET, OTHER], 'msg_1', NOW_S, BODY);
    expect(both).toEqual({
      'webhook-id': 'msg_1',
      'webhook-timestamp': String(NOW_S),
      'webhook-signature': `v1,${right} v1,${mac(OTHER, `msg_1.${NOW_S}.${BODY}`)}`,
    });
    expect(sign(SECRET, 'msg_1', NOW_S, BODY)).toBe(`v1,${right}`);
  });

  it('refuses a body that differs from the signed one', () => {
    expect(problemOf(() => verify([SECRET], headers, `${BODY} `, clock))).toBe('BAD_SIGNATURE');
    expect(() => verify([SECRET], headers, '{}', clock)).toThrow('no webhook-signature matches');
  });

  it('refuses everything when the sender has no secret, even a well-formed message', () => {
    expect(problemOf(() => verify([], headers, BODY, clock))).toBe('NO_SECRET');
  });

  it('interoperates with the standardwebhooks package both ways', () => {
    const theirs = new Webhook(SECRET);
    const date = new Date(NOW_S * 1000);
    const sig = theirs.sign('msg_9', date, BODY);
    const fromThem = { 'webhook-id': 'msg_9', 'webhook-timestamp': String(NOW_S), 'webhook-signature': sig };
    expect(verify([SECRET], fromThem, BODY, clock)).toEqual({ id: 'msg_9', timestamp: NOW_S });
    expect(sign(SECRET, 'msg_9', NOW_S, BODY)).toBe(sig);
  });
});

describe('the secret format', () => {
  const b64 = (n: number) => Buffer.alloc(n, 1).toString('base64');
  it.each([
    { name: 'whsec_ and 32 bytes', secret: `whsec_${b64(32)}`, ok: true },
    { name: 'whsec_ and 24 bytes (the least)', secret: `whsec_${b64(24)}`, ok: true },
    { name: 'whsec_ and 23 bytes', secret: `whsec_${b64(23)}`, ok: false },
    { name: 'no prefix', secret: b64(32), ok: false },
    { name: 'another prefix', secret: `wsec_${b64(32)}`, ok: false },
    { name: 'the prefix in the middle', secret: `x_whsec_${b64(32)}`, ok: false },
    { name: 'the prefix alone', secret: 'whsec_', ok: false },
    { name: 'not base64', secret: `whsec_${'!'.repeat(40)}`, ok: false },
    { name: 'base64 then junk', secret: `whsec_${b64(32)}!`, ok: false },
    { name: 'junk then base64', secret: `whsec_!${b64(32)}`, ok: false },
    { name: 'three padding characters', secret: `whsec_${b64(32)}==`, ok: false },
    { name: 'base64 without padding', secret: `whsec_${b64(32).replace(/=+$/, '')}`, ok: true },
  ])('$name → valid: $ok', ({ secret, ok }) => {
    if (ok) {
      expect(secretKey(secret).length).toBeGreaterThanOrEqual(24);
    } else {
      expect(() => secretKey(secret)).toThrow(InvalidSecretError);
    }
  });

  it('decodes the key bytes', () => {
    expect(secretKey(`whsec_${Buffer.alloc(30, 5).toString('base64')}`)).toEqual(Buffer.alloc(30, 5));
  });

  it('names the problem', () => {
    expect(() => secretKey('nope')).toThrow('webhook secret must be whsec_ followed by base64');
    expect(() => secretKey(`whsec_${b64(8)}`)).toThrow('webhook secret must hold at least 24 bytes');
    try {
      secretKey('nope');
    } catch (e) {
      expect((e as Error).name).toBe('InvalidSecretError');
    }
  });

  it('generates secrets of 32 random bytes in that format, each one new', () => {
    const a = generateSecret();
    const b = generateSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(secretKey(a)).toHaveLength(32);
    expect(a).not.toBe(b);
  });

  it('a verification error carries its name and problem', () => {
    try {
      verify([SECRET], {}, BODY, clock);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(WebhookVerificationError);
      expect((e as Error).name).toBe('WebhookVerificationError');
      expect((e as WebhookVerificationError).problem).toBe('MISSING_HEADERS');
    }
  });
});
