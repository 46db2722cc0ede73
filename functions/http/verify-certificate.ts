/**
 * GET /v1/certificates/{number}?code={verificationCode} — public verification. The code is compared by
 * its hash; an unknown number or a wrong code are the same 404. Certificates and written replies alike:
 * `document`, `title`, the statement with names and ID numbers masked, `validUntil` where the kind has one.
 */

import { hashesEqual, sha256Hex } from '#shared/certificates/ids-and-codes.ts';
import { notFound } from '#shared/http/problem.ts';
import { type Deps, defaultDeps, lazyHandler } from '../deps.ts';
import { HttpError, httpHandler, json } from '../edge/http.ts';

const NUMBER = /^[A-Z]{2}-\d{8}-[0-9A-Z]{8}$/;
const CODE = /^[0-9A-Za-z]{10}$/;

export function createHandler(deps: Deps) {
  return httpHandler(deps, async (event) => {
    const number = event.pathParameters?.number ?? '';
    const code = (event.queryStringParameters?.code ?? '').toUpperCase();
    if (!NUMBER.test(number) || !CODE.test(code)) throw new HttpError(notFound());
    const certificate = await deps.store.getCertificate(number);
    if (!certificate || !hashesEqual(sha256Hex(code), certificate.codeHash)) throw new HttpError(notFound());
    return json(200, {
      valid: certificate.status === 'VALID',
      number: certificate.number,
      kind: certificate.kind,
      issuedAt: certificate.issuedAt,
      issuedBy: certificate.issuedBy,
      subjectName: certificate.subjectName,
      status: certificate.status,
      document: certificate.document ?? 'CERTIFICATE',
      ...(certificate.title ? { title: certificate.title } : {}),
      ...(certificate.publicStatement ? { statement: certificate.publicStatement } : {}),
      ...(certificate.validUntil ? { validUntil: certificate.validUntil } : {}),
    });
  });
}

export const handler = lazyHandler(() => createHandler(defaultDeps()));
