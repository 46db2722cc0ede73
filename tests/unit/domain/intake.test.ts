import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { demoPeople as P } from '#local/demo/demo-people.ts';
import { demoScenarios } from '#local/demo/demo-scenarios.ts';
import {
  conflict,
  forbidden,
  idempotencyKeyReused,
  malformedJson,
  notFound,
  PROBLEM_CONTENT_TYPE,
  payloadTooLarge,
  problem,
  tooManyRequests,
  unauthorized,
  unsupportedMediaType,
  validationProblem,
} from '#shared/http/problem.ts';
import { defaultPolicy } from '#shared/policy/policy.ts';
import { ExchangeQuerySchema } from '#shared/schemas/exchange.ts';
import { DepartmentFindingsSchema, FindingsBodySchema } from '#shared/schemas/findings.ts';
import { intakeJsonSchema, intakeRequestSchema } from '#shared/schemas/intake.ts';
import { requestBody } from '#tests/helpers/domain-requests.ts';
import { validate } from '#tests/helpers/validate.ts';

/** A free-form JSON body that tests mutate at will. */
// biome-ignore lint/suspicious/noExplicitAny: test bodies are deliberately untyped JSON
type Body = Record<string, any>;
// biome-ignore lint/suspicious/noExplicitAny: generated JSON Schema, inspected structurally
type JsonSchema = any;

const huang = () => structuredClone(demoScenarios[0]!.body) as Body;

/** The problem for a body, or undefined when valid. */
function problemFor(body: unknown, locale?: 'zh' | 'en') {
  const r = validate(intakeRequestSchema(), body, locale);
  return r.ok ? undefined : r.problem;
}

describe('intake schema: valid bodies', () => {
  it("accepts docs/api.md's example body (Ms Huang)", () => {
    expect(problemFor(huang())).toBeUndefined();
  });

  it('accepts every demo scenario', () => {
    for (const s of demoScenarios) expect(problemFor(s.body), s.id).toBeUndefined();
  });

  it('trims names and keeps optional fields optional', () => {
    const body = huang();
    body.subject.name = '  黄小雨 ';
    delete body.locale;
    delete body.purpose.text;
    const r = intakeRequestSchema().parse(body);
    expect(r.subject.name).toBe('黄小雨');
    expect(r.locale).toBeUndefined();
  });

  it('reads a lower-case check character x as X and trims ID numbers', () => {
    const body = requestBody({ proof: 'IDENTITY', subject: P.zhaoLei });
    (body.subject as Record<string, string>).idNumber = ` ${P.zhaoLei.idNumber.toLowerCase()} `;
    expect(P.zhaoLei.idNumber.endsWith('X')).toBe(true);
    expect(intakeRequestSchema().parse(body).subject.idNumber).toBe(P.zhaoLei.idNumber);
  });

  it('accepts a unit applicant without an ID number and a landline', () => {
    const body = requestBody({ proof: 'CRIMINAL_RECORD', purpose: 'EMPLOYMENT', applicant: 'UNIT' });
    (body.applicant as Record<string, unknown>).phone = '0431-88880000';
    expect(problemFor(body)).toBeUndefined();
  });
});

describe('intake schema: every error names the field', () => {
  const cases: [string, (b: Body) => void, string, RegExp?][] = [
    ['unknown proof', (b) => (b.proof = 'FOO'), 'proof', /catalogue/],
    ['missing proof', (b) => delete b.proof, 'proof'],
    [
      'missing subject ID number',
      (b) => delete b.subject.idNumber,
      'subject.idNumber',
      /必填 \/ is required/,
    ],
    [
      'wrong check digit',
      (b) => (b.subject.idNumber = `${b.subject.idNumber.slice(0, 17)}9`),
      'subject.idNumber',
      /校验位/,
    ],
    [
      '17 characters',
      (b) => (b.subject.idNumber = b.subject.idNumber.slice(0, 17)),
      'subject.idNumber',
      /18/,
    ],
    [
      'ID number as a number',
      (b) => (b.relatedPerson.idNumber = 2201041978),
      'relatedPerson.idNumber',
      /string|文本/,
    ],
    ['bad region', (b) => (b.applicant.idNumber = '990104197805121020'), 'applicant.idNumber', /region|地区/],
    [
      'agent without power of attorney',
      (b) => (b.applicant.kind = 'AGENT'),
      'applicant.powerOfAttorneyRef',
      /required/,
    ],
    ['unknown applicant kind', (b) => (b.applicant.kind = 'FRIEND'), 'applicant.kind'],
    ['OTHER without askedByName', (b) => (b.askedBy = 'OTHER'), 'askedByName', /OTHER/],
    ['unknown askedBy', (b) => (b.askedBy = 'POLICE'), 'askedBy', /NOTARY/],
    ['kinship without relatedPerson', (b) => delete b.relatedPerson, 'relatedPerson', /relatedPerson/],
    ['related person without relation', (b) => delete b.relatedPerson.relation, 'relatedPerson.relation'],
    ['unknown relation', (b) => (b.relatedPerson.relation = 'AUNT'), 'relatedPerson.relation'],
    [
      'related person is the subject',
      (b) => (b.relatedPerson.idNumber = b.subject.idNumber),
      'relatedPerson.idNumber',
    ],
    [
      'event for a kind that is no incident',
      (b) => (b.event = { date: '2026-11-20', place: '长春' }),
      'event',
      /incident/,
    ],
    ['bad phone', (b) => (b.applicant.phone = '12345'), 'applicant.phone', /phone/],
    ['name too long', (b) => (b.subject.name = '黄'.repeat(51)), 'subject.name', /50/],
    ['empty name', (b) => (b.subject.name = '   '), 'subject.name', /empty/],
    ['unknown purpose', (b) => (b.purpose.code = 'SHOPPING'), 'purpose.code'],
    ['purpose text too long', (b) => (b.purpose.text = 'x'.repeat(201)), 'purpose.text', /200/],
    ['unknown locale', (b) => (b.locale = 'fr'), 'locale'],
    ['misspelt field', (b) => (b.subject.nmae = 'x'), 'subject.nmae', /unknown field/],
    ['unknown top-level field', (b) => (b.priority = 'high'), 'priority'],
  ];

  it.each(cases)('%s → %s', (_t, mutate, path, message) => {
    const body = huang();
    mutate(body);
    const p = problemFor(body);
    expect(p?.status).toBe(400);
    const hit = p?.errors?.find((e) => e.path === path);
    expect(hit, JSON.stringify(p?.errors)).toBeDefined();
    if (message) expect(hit?.message).toMatch(message);
  });

  it.each([
    ['UNNATURAL_DEATH without event', { proof: 'UNNATURAL_DEATH' }, 'event'],
    [
      'NAME_CHANGE with relatedPerson',
      { proof: 'NAME_CHANGE', related: { ...P.huangLi, relation: 'MOTHER' } },
      'relatedPerson',
    ],
    ['unit without letter', { proof: 'CRIMINAL_RECORD', applicant: 'UNIT' }, 'applicant.letterRef'],
  ] as const)('%s → %s', (_t, choice, path) => {
    const body = requestBody(choice as never);
    if (path === 'applicant.letterRef') delete (body.applicant as Record<string, unknown>).letterRef;
    expect(problemFor(body)?.errors?.map((e) => e.path)).toContain(path);
  });

  it('an impossible event date is named', () => {
    const body = requestBody({ proof: 'UNNATURAL_DEATH', event: { date: '2026-02-30' } });
    expect(problemFor(body)?.errors).toContainEqual({
      path: 'event.date',
      message: '日期不存在 / date does not exist',
    });
  });

  it('lists every error of a body at once', () => {
    const p = problemFor({
      proof: 'KINSHIP',
      subject: { name: '', idNumber: '1' },
      applicant: { kind: 'AGENT' },
    });
    const paths = p?.errors?.map((e) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'purpose',
        'askedBy',
        'subject.name',
        'subject.idNumber',
        'applicant.name',
        'applicant.powerOfAttorneyRef',
      ]),
    );
  });

  it.each([null, [], 'text', 42, true])('a body that is not an object (%j) is a 400 on the body', (body) => {
    const p = problemFor(body);
    expect(p?.status).toBe(400);
    expect(p?.errors?.[0]?.path).toBe('');
  });
});

describe('problem+json', () => {
  it('is RFC 9457 with bilingual messages, or one language on request', () => {
    const body = huang();
    body.subject.idNumber = `${body.subject.idNumber.slice(0, 17)}9`;
    const both = problemFor(body)!;
    expect(both).toMatchObject({
      type: '/problems/validation',
      status: 400,
      title: '请求内容有误 / Invalid request',
    });
    expect(both.errors).toEqual([
      { path: 'subject.idNumber', message: '身份证号码校验位错误 / ID number check digit is wrong' },
    ]);
    expect(problemFor(body, 'en')?.errors?.[0]?.message).toBe('ID number check digit is wrong');
    expect(problemFor(body, 'zh')?.errors?.[0]?.message).toBe('身份证号码校验位错误');
    expect(problemFor(body, 'en')?.title).toBe('Invalid request');
  });

  it('maps zod errors without the raw input too (missing fields judged from the issue)', () => {
    const r = intakeRequestSchema().safeParse({});
    expect(r.success).toBe(false);
    const p = validationProblem(r.error!);
    expect(p.errors?.find((e) => e.path === 'subject')?.message).toBe('必填 / is required');
  });

  it('has the standard problems of docs/api.md', () => {
    expect(PROBLEM_CONTENT_TYPE).toBe('application/problem+json');
    for (const [p, status] of [
      [unauthorized(), 401],
      [forbidden(), 403],
      [notFound(), 404],
      [conflict(), 409],
      [payloadTooLarge(), 413],
      [unsupportedMediaType(), 415],
      [idempotencyKeyReused(), 422],
      [tooManyRequests(30), 429],
      [malformedJson(), 400],
    ] as const) {
      expect(p.status).toBe(status);
      expect(p.type).toMatch(/^\/problems\//);
      expect(p.title).toMatch(/[\u4e00-\u9fff].* \/ [A-Z]/);
      expect(p.detail).toBeDefined();
    }
    expect(tooManyRequests(30).retryAfterSeconds).toBe(30);
    expect(conflict({ zh: '请求不在等待中', en: 'the request is not waiting' }, 'en').detail).toBe(
      'the request is not waiting',
    );
    expect(problem(418, { title: 'teapot' })).toEqual({
      type: '/problems/http-418',
      title: 'teapot',
      status: 418,
    });
  });

  it('any JSON body yields either a request or a well-formed 400 (fuzz)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue(),
          fc.constant(huang()),
          fc.record({ proof: fc.string(), subject: fc.jsonValue() }),
        ),
        (body) => {
          const r = validate(intakeRequestSchema(), body);
          if (!r.ok) {
            expect(r.problem.status).toBe(400);
            expect(r.problem.errors?.length).toBeGreaterThan(0);
            for (const e of r.problem.errors ?? []) {
              expect(typeof e.path).toBe('string');
              expect(e.message).toContain(' / ');
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('JSON Schema of the request, generated from zod', () => {
  it('lists the catalogue codes, the askedBy bodies and the required fields', () => {
    const schema = intakeJsonSchema() as JsonSchema;
    expect(schema.$schema).toContain('2020-12');
    expect(schema.properties.proof.enum).toEqual(defaultPolicy.kinds.map((k) => k.code));
    expect(schema.properties.askedBy.enum).toContain('HUMAN_RESOURCES');
    expect(schema.required).toEqual(
      expect.arrayContaining(['proof', 'purpose', 'askedBy', 'subject', 'applicant']),
    );
    expect(schema.additionalProperties).toBe(false);
    const applicantKinds = schema.properties.applicant.oneOf ?? schema.properties.applicant.anyOf;
    expect(applicantKinds.map((a: JsonSchema) => a.properties.kind.const).sort()).toEqual([
      'AGENT',
      'SELF',
      'UNIT',
    ]);
    const agent = applicantKinds.find((a: JsonSchema) => a.properties.kind.const === 'AGENT');
    expect(agent.required).toContain('powerOfAttorneyRef');
    expect(schema.properties.subject.properties.idNumber).toMatchObject({ minLength: 18, maxLength: 18 });
  });
});

describe('findings and exchange query bodies', () => {
  it('officer findings: CONFIRMED with facts, REFUTED needs a note', () => {
    expect(FindingsBodySchema.parse({ outcome: 'CONFIRMED' })).toEqual({ outcome: 'CONFIRMED', facts: {} });
    expect(validate(FindingsBodySchema, { outcome: 'REFUTED' }).ok).toBe(false);
    const r = validate(FindingsBodySchema, { outcome: 'REFUTED', note: '' });
    expect(r.ok ? [] : r.problem.errors?.map((e) => e.path)).toEqual(['note']);
    const bad = validate(FindingsBodySchema, { outcome: 'MAYBE', facts: [] });
    expect(bad.ok ? [] : bad.problem.errors?.map((e) => e.path).sort()).toEqual(['facts', 'outcome']);
  });

  it('facts: prototype names, nesting and numbers DynamoDB cannot keep are refused, naming the key', () => {
    const bad = (facts: string) => {
      const r = validate(FindingsBodySchema, JSON.parse(`{"outcome":"CONFIRMED","facts":${facts}}`));
      return r.ok ? [] : r.problem.errors?.map((e) => e.path);
    };
    expect(bad('{"constructor":"x"}')).toEqual(['facts.constructor']);
    expect(bad('{"__proto__":{"polluted":true}}')).toEqual(['facts.__proto__']);
    expect(bad('{"a":{"b":1}}')).toEqual(['facts.a']);
    expect(bad('{"tiny":[5e-324]}')).toEqual(['facts.tiny.0']);
    expect(bad('{"huge":1e300}')).toEqual(['facts.huge']);
    expect(bad('{"unsafe":-9007199254740992}')).toEqual(['facts.unsafe']);
    expect(bad('{"safe":-9007199254740991,"f":0.25}')).toEqual([]);
    expect(bad('{"a\u200bb":1}')).toEqual(['facts.a\u200bb']);
    const ok = FindingsBodySchema.parse({
      outcome: 'CONFIRMED',
      facts: { 方式: '走访', n: 0, l: [1.5, 'x'] },
    });
    expect(ok.facts).toEqual({ 方式: '走访', n: 0, l: [1.5, 'x'] });
    expect(Object.getPrototypeOf(ok.facts)).toBe(Object.prototype);
  });

  it('department findings need the request id', () => {
    const r = validate(DepartmentFindingsSchema, { outcome: 'CONFIRMED', facts: { checked: true } });
    expect(r.ok ? [] : r.problem.errors?.map((e) => e.path)).toEqual(['requestId']);
    expect(
      DepartmentFindingsSchema.parse({ requestId: 'r1', outcome: 'REFUTED', note: '查无此事' }).note,
    ).toBe('查无此事');
  });

  it('exchange queries: kinship needs the related person, ALIVE takes none', () => {
    const subject = { idNumber: P.wangFang.idNumber, name: P.wangFang.name };
    const base = { subject, purpose: '继承公证', reference: 'NP-2026-1' };
    expect(validate(ExchangeQuerySchema, { ...base, question: 'ALIVE' }).ok).toBe(true);
    const noRelated = validate(ExchangeQuerySchema, { ...base, question: 'KINSHIP' });
    expect(noRelated.ok ? [] : noRelated.problem.errors?.map((e) => e.path)).toEqual(['relatedPerson']);
    const extra = validate(ExchangeQuerySchema, {
      ...base,
      question: 'ALIVE',
      relatedPerson: { idNumber: P.wangJianguo.idNumber },
    });
    expect(extra.ok).toBe(false);
    const badId = validate(ExchangeQuerySchema, { ...base, question: 'ALIVE', subject: { idNumber: '123' } });
    expect(badId.ok ? [] : badId.problem.errors?.map((e) => e.path)).toEqual(['subject.idNumber']);
  });
});
