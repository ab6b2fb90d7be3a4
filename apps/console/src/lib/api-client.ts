/**
 * The one HTTP client of the console. Every call to /api/v1 goes through `api`:
 * it sends the session cookie, echoes the CSRF token on mutations, turns
 * `{ error: { code, message, details } }` bodies into an `ApiError`, and reports a 401
 * to the handler the app registers (which sends the user to the sign-in page).
 */
import type { ApiErrorBody, ApiErrorCode } from '@berth/api';

export const API_BASE = '/api/v1';

/** A failed API call: the HTTP status, the stable error code and the server's message. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode | (string & {}),
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

/** One field of a VALIDATION_FAILED answer: `details` is a list of `{ path, message }`. */
export interface FieldIssue {
  path: string;
  message: string;
}

/** The field messages of a VALIDATION_FAILED error, keyed by field path (first message wins). */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!isApiError(error) || !Array.isArray(error.details)) return {};
  const out: Record<string, string> = {};
  for (const item of error.details as unknown[]) {
    if (item && typeof item === 'object' && 'path' in item && 'message' in item) {
      const { path, message } = item as FieldIssue;
      if (typeof path === 'string' && typeof message === 'string' && !(path in out)) out[path] = message;
    }
  }
  return out;
}

let csrfToken: string | undefined;

/** How requests reach the server: the browser's `fetch`, or the server's own for its first render. */
export type Transport = (url: string, init: RequestInit) => Promise<Response>;
let transport: Transport = (url, init) => fetch(url, init);

/**
 * Replaces how requests are sent. The server's first render sets one that forwards the
 * visitor's session to Berth itself; the browser keeps `fetch`.
 */
export function setTransport(next: Transport): void {
  transport = next;
}

/** Keeps the session's CSRF token in memory (from /auth/me or the sign-in answer). */
export function setCsrfToken(token: string | undefined): void {
  // The server's first render reads many visitors' sessions: it keeps no token.
  if (typeof window === 'undefined') return;
  csrfToken = token;
}

type UnauthenticatedHandler = () => void;
let onUnauthenticated: UnauthenticatedHandler = () => {
  if (typeof window === 'undefined') return;
  const here = window.location.pathname + window.location.search;
  if (!window.location.pathname.startsWith('/login')) window.location.assign(loginPath(here));
};

/** The app decides what a 401 does (navigate to the sign-in page with `next`). */
export function setUnauthenticatedHandler(handler: UnauthenticatedHandler): void {
  onUnauthenticated = handler;
}

/** `/login?next=<path>`: the sign-in page returns to `next` afterwards. */
export function loginPath(next?: string): string {
  return next && next !== '/' && !next.startsWith('/login') ? `/login?next=${encodeURIComponent(next)}` : '/login';
}

export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  query?: Record<string, QueryValue>;
  body?: unknown;
  signal?: AbortSignal;
  /** Leave a 401 to the caller instead of redirecting (the sign-in form itself). */
  allowUnauthenticated?: boolean;
}

const SAFE_METHODS = new Set(['GET', 'HEAD']);

/** Builds `/api/v1<path>?query`, leaving out empty values. */
export function apiUrl(path: string, query?: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  return `${API_BASE}${path}${qs ? `?${qs}` : ''}`;
}

async function readError(response: Response): Promise<ApiError> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const error = (body as Partial<ApiErrorBody> | undefined)?.error;
  if (error && typeof error.code === 'string' && typeof error.message === 'string') {
    return new ApiError(response.status, error.code, error.message, error.details);
  }
  return new ApiError(response.status, response.status >= 500 ? 'INTERNAL' : 'BAD_REQUEST', response.statusText || `HTTP ${response.status}`);
}

/** Sends a request; throws `ApiError` for a non-2xx answer (reporting a 401 first). */
async function send(path: string, options: RequestOptions, accept: string): Promise<Response> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (!SAFE_METHODS.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;

  let response: Response;
  try {
    response = await transport(apiUrl(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, 'NETWORK', 'network error: the server could not be reached');
  }

  if (!response.ok) {
    const error = await readError(response);
    if (response.status === 401 && !options.allowUnauthenticated) {
      setCsrfToken(undefined);
      onUnauthenticated();
    }
    throw error;
  }
  return response;
}

/** Calls the API and returns the parsed JSON body (undefined for 204). Throws `ApiError`. */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(path, options, 'application/json');
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A body kept byte for byte (a manifest), with the headers that describe it. */
export interface RawBody {
  bytes: Uint8Array;
  headers: Headers;
}

/** GETs a body as bytes, untouched (no JSON parsing). Throws `ApiError`. */
export async function requestBytes(path: string, signal?: AbortSignal): Promise<RawBody> {
  const response = await send(path, { signal }, '*/*');
  return { bytes: new Uint8Array(await response.arrayBuffer()), headers: response.headers };
}

/** Shorthands over `request`. */
export const api = {
  get: <T>(path: string, query?: Record<string, QueryValue>, signal?: AbortSignal) => request<T>(path, { query, signal }),
  getBytes: (path: string, signal?: AbortSignal) => requestBytes(path, signal),
  post: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'method' | 'body'>) =>
    request<T>(path, { ...options, method: 'POST', body }),
  patch: <T>(path: string, body: unknown) => request<T>(path, { method: 'PATCH', body }),
  put: <T>(path: string, body: unknown) => request<T>(path, { method: 'PUT', body }),
  /** A DELETE; its answer's body when it has one (a delete's outcome). */
  delete: <T = void>(path: string) => request<T>(path, { method: 'DELETE' }),
};

/** One path segment, escaped; image names keep their meaning with `/` encoded as `%2F`. */
export const seg = (value: string) => encodeURIComponent(value);
