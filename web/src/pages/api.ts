/**
 * The API reference page (/api): GET /v1/openapi.json rendered as plain HTML — every operation (method,
 * path, summary, who may call, parameters, request body, responses), the webhooks certflow sends, the
 * security schemes and the component schemas with their fields. No third-party renderer: it would need
 * inline scripts or styles the pages' CSP forbids, and the document is small enough to walk here.
 */
import type { OpenAPIV3_1 } from 'openapi-types';
import { api } from '../lib/api.ts';
import { byId, clear, h } from '../lib/dom.ts';
import { type Dictionary, onLangChange, t } from '../lib/i18n.ts';
import { markReady, problemMessage, startPage } from '../lib/page.ts';

type Doc = OpenAPIV3_1.Document;
type Operation = OpenAPIV3_1.OperationObject;
type Schema = OpenAPIV3_1.SchemaObject | OpenAPIV3_1.ReferenceObject;

const DICT: Dictionary = {
  'api.title': { zh: '接口文档', en: 'API reference' },
  'api.lead': {
    zh: '证明通 HTTP 接口（OpenAPI 3.1），由接口自身的校验规则生成。',
    en: "certflow's HTTP API (OpenAPI 3.1), generated from the API's own validation schemas.",
  },
  'api.download': { zh: '下载 OpenAPI 文档（JSON）', en: 'Download the OpenAPI document (JSON)' },
  'api.toc': { zh: '接口一览', en: 'Operations' },
  'api.security': { zh: '认证方式', en: 'Security schemes' },
  'api.schemas': { zh: '数据结构', en: 'Schemas' },
  'api.webhooks': { zh: '推送给部门的消息', en: 'Messages sent to departments' },
  'api.auth': { zh: '认证', en: 'Authentication' },
  'api.public': { zh: '无需登录', en: 'public' },
  'api.parameters': { zh: '参数', en: 'Parameters' },
  'api.body': { zh: '请求体', en: 'Request body' },
  'api.responses': { zh: '响应', en: 'Responses' },
  'api.field': { zh: '字段', en: 'Field' },
  'api.type': { zh: '类型', en: 'Type' },
  'api.in': { zh: '位置', en: 'In' },
  'api.required': { zh: '必填', en: 'required' },
  'api.description': { zh: '说明', en: 'Description' },
};

startPage(DICT);

const METHODS = ['get', 'post', 'put', 'delete', 'patch'] as const;
let doc: Doc | undefined;

/** `#/components/schemas/Name` → `Name`. */
function refName(ref: string): string {
  return ref.slice(ref.lastIndexOf('/') + 1);
}

/** A short type expression for a schema: `RequestView`, `string[]`, `"SELF" | "AGENT"`, `object`. */
function typeOf(schema: Schema | undefined): string {
  if (!schema) return '';
  if ('$ref' in schema) return refName(schema.$ref);
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  if ('const' in schema) return JSON.stringify(schema.const);
  if (schema.anyOf ?? schema.oneOf) return (schema.anyOf ?? schema.oneOf)!.map(typeOf).join(' | ');
  if (schema.type === 'array') return `${typeOf(schema.items as Schema)}[]`;
  if (Array.isArray(schema.type)) return schema.type.join(' | ');
  return schema.type ?? 'any';
}

function schemaLink(schema: Schema | undefined): Node | string {
  if (schema && '$ref' in schema) {
    const name = refName(schema.$ref);
    return h('a', { href: `#schema-${name}` }, name);
  }
  return typeOf(schema);
}

function fieldsTable(schema: OpenAPIV3_1.SchemaObject): HTMLElement | null {
  const properties = schema.properties ?? {};
  if (Object.keys(properties).length === 0) return null;
  const required = new Set(schema.required ?? []);
  return h(
    'table',
    {},
    h(
      'thead',
      {},
      h('tr', {}, h('th', {}, t('api.field')), h('th', {}, t('api.type')), h('th', {}, t('api.description'))),
    ),
    h(
      'tbody',
      {},
      ...Object.entries(properties).map(([name, property]) =>
        h(
          'tr',
          {},
          h('td', {}, h('code', {}, name), required.has(name) ? ` (${t('api.required')})` : ''),
          h('td', {}, h('code', {}, schemaLink(property as Schema))),
          h('td', {}, ('description' in property ? property.description : undefined) ?? ''),
        ),
      ),
    ),
  );
}

function operationSection(method: string, path: string, op: Operation, id: string): HTMLElement {
  const security = (op.security ?? doc?.security ?? []).flatMap((s) => Object.keys(s));
  const parameters = (op.parameters ?? []) as OpenAPIV3_1.ParameterObject[];
  const body = (op.requestBody as OpenAPIV3_1.RequestBodyObject | undefined)?.content;
  return h(
    'section',
    { class: 'card', id, 'aria-labelledby': `${id}-title` },
    h('h3', { id: `${id}-title` }, h('code', {}, `${method.toUpperCase()} ${path}`)),
    op.summary ? h('p', {}, op.summary) : null,
    op.description ? h('p', { class: 'hint' }, op.description) : null,
    h('p', {}, `${t('api.auth')}: `, security.length ? security.join(' / ') : t('api.public')),
    parameters.length
      ? h(
          'table',
          {},
          h('caption', {}, t('api.parameters')),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', {}, t('api.field')),
              h('th', {}, t('api.in')),
              h('th', {}, t('api.type')),
              h('th', {}, t('api.description')),
            ),
          ),
          h(
            'tbody',
            {},
            ...parameters.map((p) =>
              h(
                'tr',
                {},
                h('td', {}, h('code', {}, p.name), p.required ? ` (${t('api.required')})` : ''),
                h('td', {}, p.in),
                h('td', {}, h('code', {}, typeOf(p.schema as Schema))),
                h(
                  'td',
                  {},
                  p.description ?? (p.schema as OpenAPIV3_1.SchemaObject | undefined)?.description ?? '',
                ),
              ),
            ),
          ),
        )
      : null,
    body
      ? h(
          'p',
          {},
          `${t('api.body')}: `,
          ...Object.entries(body).flatMap(([type, media]) => [
            h('code', {}, type),
            ' ',
            schemaLink(media.schema as Schema),
          ]),
        )
      : null,
    h('h4', {}, t('api.responses')),
    h(
      'ul',
      {},
      ...Object.entries(op.responses ?? {}).map(([status, response]) => {
        const r = response as OpenAPIV3_1.ResponseObject;
        return h(
          'li',
          {},
          h('code', {}, status),
          ` ${r.description ?? ''} `,
          ...Object.entries(r.content ?? {}).flatMap(([type, media]) => [
            h('code', {}, type),
            ' ',
            schemaLink(media.schema as Schema),
            ' ',
          ]),
        );
      }),
    ),
  );
}

function render(): void {
  if (!doc) return;
  const toc = byId('api-toc');
  const operations = byId('api-operations');
  clear(toc);
  clear(operations);
  const groups: [string, Record<string, OpenAPIV3_1.PathItemObject | undefined>][] = [
    ['', doc.paths ?? {}],
    [t('api.webhooks'), doc.webhooks ?? {}],
  ];
  for (const [heading, items] of groups) {
    if (heading && Object.keys(items).length) operations.append(h('h2', {}, heading));
    for (const [path, item] of Object.entries(items)) {
      for (const method of METHODS) {
        const op = item?.[method];
        if (!op) continue;
        const id = `op-${op.operationId ?? `${method}-${path}`}`;
        toc.append(
          h(
            'li',
            {},
            h('a', { href: `#${id}` }, h('code', {}, `${method.toUpperCase()} ${path}`)),
            ` ${op.summary ?? ''}`,
          ),
        );
        operations.append(operationSection(method, path, op, id));
      }
    }
  }
  const security = byId('api-security');
  clear(security);
  for (const [name, scheme] of Object.entries(doc.components?.securitySchemes ?? {})) {
    const s = scheme as OpenAPIV3_1.SecuritySchemeObject;
    security.append(
      h('dt', {}, h('code', {}, name)),
      h('dd', {}, `${s.type}${'scheme' in s ? ` ${s.scheme}` : ''} — ${s.description ?? ''}`),
    );
  }
  const schemas = byId('api-schemas');
  clear(schemas);
  for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) {
    schemas.append(
      h(
        'section',
        { class: 'card', id: `schema-${name}`, 'aria-labelledby': `schema-${name}-title` },
        h('h3', { id: `schema-${name}-title` }, h('code', {}, name)),
        schema.description ? h('p', {}, schema.description) : null,
        fieldsTable(schema) ?? h('p', {}, h('code', {}, typeOf(schema))),
      ),
    );
  }
}

onLangChange(() => render());

void (async () => {
  const result = await api<Doc>('/v1/openapi.json');
  if (result.ok) {
    doc = result.data;
    render();
  } else {
    const error = byId('load-error');
    error.textContent = problemMessage(result.problem);
    error.hidden = false;
  }
  markReady();
})();
