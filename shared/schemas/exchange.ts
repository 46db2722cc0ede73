/** Edge validation (zod) of ad-hoc exchange queries: POST /v1/exchange/queries (docs/api.md). */
import { z } from 'zod';
import { EXCHANGE_QUESTIONS, RELATIONS } from '#shared/domain/types.ts';
import { idNumberSchemaAt, issue, personName, text100, text200 } from './fields.ts';

/**
 * Ad-hoc verification: POST /v1/exchange/queries. HOUSEHOLD_RELATION and KINSHIP need relatedPerson.
 * With `now` (the stack's clock), ID numbers born after that moment are a 400, as at intake.
 */
export function makeExchangeQuerySchema(opts: { now?: () => Date } = {}) {
  const idNumberSchema = idNumberSchemaAt(opts.now);
  return z
    .strictObject({
      question: z.enum(EXCHANGE_QUESTIONS),
      subject: z.strictObject({ name: personName.optional(), idNumber: idNumberSchema }),
      relatedPerson: z
        .strictObject({
          name: personName.optional(),
          idNumber: idNumberSchema,
          relation: z.enum(RELATIONS).optional(),
        })
        .optional(),
      purpose: text200,
      reference: text100,
    })
    .superRefine((q, ctx) => {
      const needsRelated = q.question === 'HOUSEHOLD_RELATION' || q.question === 'KINSHIP';
      if (needsRelated && q.relatedPerson === undefined) {
        issue(ctx, ['relatedPerson'], {
          zh: '该问题需要填写关系人',
          en: `question ${q.question} needs relatedPerson`,
        });
      }
      if (!needsRelated && q.relatedPerson !== undefined) {
        issue(ctx, ['relatedPerson'], {
          zh: '该问题不需要关系人',
          en: `question ${q.question} takes no relatedPerson`,
        });
      }
    });
}
export const ExchangeQuerySchema = makeExchangeQuerySchema();
export type ExchangeQuery = z.output<typeof ExchangeQuerySchema>;
