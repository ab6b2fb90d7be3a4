import { z } from 'zod';
import * as auth from './auth.ts';
import { ENDPOINT_TAGS, ENDPOINTS, PAGE_SCHEMAS, PATH_PARAMS, openApiDocumentShape, type Endpoint } from './endpoints.ts';
import * as errors from './errors.ts';
import * as images from './images.ts';
import * as lifecycle from './lifecycle.ts';
import * as manifests from './manifests.ts';
import * as registries from './registries.ts';
import * as repositories from './repositories.ts';
import * as scanOverview from './scan-overview.ts';
import * as scans from './scans.ts';

/** A JSON Schema or OpenAPI object, as plain JSON. */
export type JsonObject = { [key: string]: unknown };

/** The OpenAPI 3.1 document of /api/v1. */
export interface OpenApiDocument extends JsonObject {
  openapi: '3.1.1';
  info: { title: string; version: string; description: string };
  servers: { url: string }[];
  tags: { name: string; description: string }[];
  paths: Record<string, Record<string, JsonObject>>;
  components: { schemas: Record<string, JsonObject>; securitySchemes: Record<string, JsonObject> };
}

export interface OpenApiOptions {
  /** Where /api/v1 is, e.g. `https://berth.example.com/api/v1`; default the relative `/api/v1`. */
  serverUrl?: string;
  /** Berth's version, shown as the document's `info.version`. */
  version?: string;
}

const COMPONENT = '#/components/schemas/';
const JSON_TYPE = 'application/json';
const CONTRACT_MODULES = [scanOverview, images, auth, repositories, lifecycle, manifests, registries, scans, errors];

const pascal = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

/**
 * Names for the document's components: every zod schema the contract exports, by its export
 * name (`imageConfigSummary` → `ImageConfigSummary`), and the list pages of endpoints.ts.
 * Components are answers (output); request bodies and query parameters are written inline,
 * as input (a field with a default may be left out).
 */
function componentNames(endpoints: readonly Endpoint[]): Map<z.ZodType, string> {
  const names = new Map<z.ZodType, string>();
  const add = (name: string, schema: unknown) => {
    if (schema instanceof z.ZodType && !names.has(schema)) names.set(schema, name);
  };
  for (const module of CONTRACT_MODULES) for (const [name, value] of Object.entries(module)) add(pascal(name), value);
  for (const [name, schema] of Object.entries(PAGE_SCHEMAS)) add(name, schema);
  add('OpenApiDocumentShape', openApiDocumentShape);
  for (const e of endpoints) {
    for (const [status, r] of Object.entries(e.responses)) {
      if (r.schema && !r.codes) add(`${pascal(e.operationId)}Response${status === '200' ? '' : status}`, r.schema);
    }
  }
  return names;
}

function strip(schema: JsonObject): JsonObject {
  const { $schema: _schema, $id: _id, ...rest } = schema;
  return rest;
}

/** A schema written inline: request bodies and query parameters as input, error bodies as output. */
function inline(schema: z.ZodType, io: 'input' | 'output'): JsonObject {
  return strip(z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonObject);
}

/** Every `$ref` target under `value`. */
function refs(value: unknown, into: Set<string>): Set<string> {
  if (Array.isArray(value)) for (const v of value) refs(v, into);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith(COMPONENT)) into.add(v.slice(COMPONENT.length));
      else refs(v, into);
    }
  }
  return into;
}

/** The components the paths use, and those they use in turn; the rest is left out. */
function reachable(paths: unknown, all: Record<string, JsonObject>): Record<string, JsonObject> {
  const keep = new Set<string>();
  let next = refs(paths, new Set());
  while (next.size > 0) {
    const found = new Set<string>();
    for (const name of next) {
      if (keep.has(name) || !all[name]) continue;
      keep.add(name);
      refs(all[name], found);
    }
    next = found;
  }
  return Object.fromEntries([...keep].sort().map((name) => [name, all[name]!]));
}

/** An error answer: the contract's error body, its `code` narrowed to those this status carries. */
function errorSchema(codes: readonly string[]): JsonObject {
  return {
    allOf: [
      { $ref: `${COMPONENT}ApiErrorBody` },
      { type: 'object', properties: { error: { type: 'object', properties: { code: { enum: [...codes] } } } } },
    ],
  };
}

function security(e: Endpoint): JsonObject[] {
  if (e.access === 'public') return [];
  return e.method === 'get' ? [{ session: [] }, { basic: [] }] : [{ session: [], csrf: [] }, { basic: [] }];
}

function operation(e: Endpoint, names: Map<z.ZodType, string>): JsonObject {
  const schemaOf = (schema: z.ZodType, io: 'input' | 'output'): JsonObject => {
    const name = io === 'output' ? names.get(schema) : undefined;
    return name ? { $ref: `${COMPONENT}${name}` } : inline(schema, io);
  };
  const parameters: JsonObject[] = [...e.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    description: PATH_PARAMS[name!] ?? name,
    schema: { type: 'string' },
  }));
  if (e.query) {
    const query = inline(e.query, 'input') as { properties?: Record<string, JsonObject>; required?: string[] };
    for (const [name, schema] of Object.entries(query.properties ?? {})) {
      parameters.push({ name, in: 'query', required: query.required?.includes(name) ?? false, schema });
    }
  }
  const responses: Record<string, JsonObject> = {};
  for (const [status, r] of Object.entries(e.responses)) {
    const schema = r.codes ? errorSchema(r.codes) : r.schema ? schemaOf(r.schema, 'output') : undefined;
    const content = schema ? Object.fromEntries((r.contentTypes ?? [JSON_TYPE]).map((type) => [type, { schema }])) : undefined;
    responses[status] = { description: r.description, ...(content ? { content } : {}) };
  }
  const access = e.access === 'admin' ? ' Admin only.' : e.access === 'public' ? ' No credentials needed.' : '';
  return {
    operationId: e.operationId,
    summary: e.summary,
    description: `${e.summary}${access}`,
    tags: [e.tag],
    security: security(e),
    'x-berth-access': e.access,
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(e.body ? { requestBody: { required: !e.bodyOptional, content: { [JSON_TYPE]: { schema: schemaOf(e.body, 'input') } } } } : {}),
    responses,
  };
}

/**
 * The OpenAPI 3.1 document of /api/v1, built from the endpoint table and the contract's
 * zod schemas (`z.toJSONSchema`): named contract schemas become components, request
 * bodies and query parameters are written as the server reads them (input), answers as it
 * writes them (output: objects list every field and allow no others).
 */
export function openApiDocument(opts: OpenApiOptions = {}, endpoints: readonly Endpoint[] = ENDPOINTS): OpenApiDocument {
  const names = componentNames(endpoints);
  const registry = z.registry<{ id: string }>();
  for (const [schema, id] of names) registry.add(schema, { id });
  const generated = z.toJSONSchema(registry, { uri: (id) => `${COMPONENT}${id}`, unrepresentable: 'any' }) as {
    schemas: Record<string, JsonObject>;
  };
  const all = Object.fromEntries(Object.entries(generated.schemas).map(([name, s]) => [name, strip(s)]));

  const paths: Record<string, Record<string, JsonObject>> = {};
  for (const e of endpoints) (paths[e.path] ??= {})[e.method] = operation(e, names);

  return {
    openapi: '3.1.1',
    info: {
      title: 'Berth API',
      version: opts.version ?? '1',
      description:
        'The JSON API of Berth, the web console and front door for container registries. Generated from the zod contract in ' +
        '`packages/api`; the server’s integration tests hold every answer to it. Errors are `{"error": {"code", "message", "details"?}}`.',
    },
    servers: [{ url: opts.serverUrl ?? '/api/v1' }],
    tags: Object.entries(ENDPOINT_TAGS).map(([name, description]) => ({ name, description })),
    paths,
    components: {
      schemas: reachable(paths, all),
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'berth_session', description: 'The console’s session cookie, set by `POST /auth/login`.' },
        csrf: {
          type: 'apiKey',
          in: 'header',
          name: 'X-CSRF-Token',
          description: 'With the session cookie, every mutation echoes the session’s CSRF token (`csrfToken` of `POST /auth/login`).',
        },
        basic: { type: 'http', scheme: 'basic', description: 'A console account’s username and password (scripts; no CSRF header).' },
      },
    },
  };
}
