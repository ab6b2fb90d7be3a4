import { ENDPOINTS, type Endpoint } from './endpoints.ts';

/** One /api/v1 request and the server's answer, as a test client saw it. */
export interface ApiExchange {
  method: string;
  /** Relative to /api/v1 (`/repositories/team/images?limit=5`), as sent: path segments URL-encoded. */
  path: string;
  status: number;
  /** The `Content-Type` header, or null. */
  contentType: string | null;
  /** The body as text; `''` for none. */
  text: string;
}

/** The endpoint a request reached, and its path parameters (still URL-encoded). */
export interface EndpointMatch {
  endpoint: Endpoint;
  params: Record<string, string>;
}

const segmentsOf = (path: string): string[] => {
  const bare = path.split('?')[0]!.split('#')[0]!;
  const trimmed = bare.length > 1 && bare.endsWith('/') ? bare.slice(0, -1) : bare;
  return trimmed.split('/').slice(1);
};

/**
 * The endpoint of the table that answers `method path`, as the server's routes match it:
 * each `{param}` is one non-empty segment (an image name's `/` is sent as `%2F`); where two
 * templates fit, the one with more literal segments wins (`/registries/test` over
 * `/registries/{registry}`).
 */
export function matchEndpoint(method: string, path: string, endpoints: readonly Endpoint[] = ENDPOINTS): EndpointMatch | null {
  const segments = segmentsOf(path);
  let best: { match: EndpointMatch; literals: number } | null = null;
  for (const endpoint of endpoints) {
    if (endpoint.method !== method.toLowerCase()) continue;
    const template = segmentsOf(endpoint.path);
    if (template.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let literals = 0;
    const fits = template.every((t, i) => {
      const s = segments[i]!;
      const param = /^\{(\w+)\}$/.exec(t);
      if (param) {
        params[param[1]!] = s;
        return s.length > 0;
      }
      literals++;
      return t === s;
    });
    if (fits && (!best || literals > best.literals)) best = { match: { endpoint, params }, literals };
  }
  return best?.match ?? null;
}

/** Where `sent` and `parsed` (the schema's output for it) differ: a field the schema dropped or added, or a changed value. */
function difference(sent: unknown, parsed: unknown, at: string): string | null {
  if (Array.isArray(sent) && Array.isArray(parsed)) {
    if (sent.length !== parsed.length) return `${at || 'the body'} has ${sent.length} items, the contract kept ${parsed.length}`;
    for (let i = 0; i < sent.length; i++) {
      const d = difference(sent[i], parsed[i], `${at}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (sent && parsed && typeof sent === 'object' && typeof parsed === 'object' && !Array.isArray(sent) && !Array.isArray(parsed)) {
    const a = sent as Record<string, unknown>;
    const b = parsed as Record<string, unknown>;
    for (const key of Object.keys(a)) {
      if (!(key in b)) return `field ${at ? `${at}.` : ''}${key} is not in the contract`;
    }
    for (const key of Object.keys(b)) {
      if (!(key in a)) return `field ${at ? `${at}.` : ''}${key} is missing (the contract would fill in a default)`;
      const d = difference(a[key], b[key], at ? `${at}.${key}` : key);
      if (d) return d;
    }
    return null;
  }
  return Object.is(sent, parsed) ? null : `${at || 'the body'} is ${JSON.stringify(sent)}, the contract reads it as ${JSON.stringify(parsed)}`;
}

const mediaType = (contentType: string | null) => (contentType ?? '').split(';')[0]!.trim().toLowerCase();

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** What an unknown route answers: authentication comes first, then the catch-all 404 `NOT_FOUND`. */
function unknownRouteProblems(exchange: ApiExchange): string[] {
  const body = parseJson(exchange.text);
  const code = body.ok ? (body.value as { error?: { code?: unknown } } | null)?.error?.code : undefined;
  const allowed = exchange.status === 404 ? ['NOT_FOUND'] : exchange.status === 401 ? ['UNAUTHENTICATED', 'INVALID_CREDENTIALS'] : [];
  if (typeof code === 'string' && allowed.includes(code)) return [];
  return [`no endpoint in the table answers ${exchange.method.toUpperCase()} ${segmentsOf(exchange.path).join('/') || '/'}, yet the server answered ${exchange.status} ${exchange.text.slice(0, 200)}`];
}

/**
 * Checks one answer against the endpoint table: the endpoint must be in the table, the
 * status declared for it, the media type one it declares, and the body must match that
 * status's schema exactly — no field the contract lacks, none missing, an error's `code`
 * one of those the table lists for the status; a 204 has no body. A route the server
 * does not have may only answer as the server does for those: 401 before sign-in, else
 * 404 `NOT_FOUND`. Returns what is wrong; empty when the answer keeps to the contract.
 */
export function responseProblems(exchange: ApiExchange, endpoints: readonly Endpoint[] = ENDPOINTS): string[] {
  const match = matchEndpoint(exchange.method, exchange.path, endpoints);
  if (!match) return unknownRouteProblems(exchange);
  const { endpoint } = match;
  const what = `${endpoint.method.toUpperCase()} ${endpoint.path} answered ${exchange.status}`;
  const declared = endpoint.responses[exchange.status];
  if (!declared) {
    return [`${what}, a status the table does not declare for it (declared: ${Object.keys(endpoint.responses).join(', ')}): ${exchange.text.slice(0, 300)}`];
  }
  if (!declared.schema) return exchange.text === '' ? [] : [`${what} with a body, but it is declared without one`];

  const problems: string[] = [];
  const types = declared.contentTypes ?? ['application/json'];
  if (!types.includes(mediaType(exchange.contentType))) {
    problems.push(`${what} as ${exchange.contentType ?? 'no Content-Type'}, not ${types.join(' or ')}`);
  }
  const body = parseJson(exchange.text);
  if (!body.ok) return [...problems, `${what} with a body that is not JSON: ${exchange.text.slice(0, 200)}`];
  const parsed = declared.schema.safeParse(body.value);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || 'the body'}: ${i.message}`);
    return [...problems, `${what} with a body the contract does not allow: ${issues.join('; ')} — ${exchange.text.slice(0, 300)}`];
  }
  const diff = difference(body.value, parsed.data, '');
  if (diff) problems.push(`${what}: ${diff}`);
  return problems;
}
