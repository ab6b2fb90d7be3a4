import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino, type Logger } from 'pino';
import { afterAll } from 'vitest';
import { responseProblems } from '@berth/api';
import { startRegistry } from '@berth/registry';
import { createDatabase, startDistribution, startPostgres, type Postgres } from '@berth/testkit';
import { loadConfig, start, type Berth } from '../src/main.ts';

export const ADMIN_PASSWORD = 'integration-admin-pw';

/**
 * The upstream registry the integration suite runs against: Berth's embedded registry
 * (default) or, with `BERTH_TEST_UPSTREAM=distribution`, Debian's CNCF distribution.
 * `npm test` runs the suite once with each.
 */
export const testUpstream = process.env.BERTH_TEST_UPSTREAM ?? 'embedded';
if (testUpstream !== 'embedded' && testUpstream !== 'distribution') {
  throw new Error(`BERTH_TEST_UPSTREAM must be embedded or distribution, not ${testUpstream}`);
}

/** A registry Berth is put in front of, reachable directly too (without credentials). */
export interface Upstream {
  kind: 'embedded' | 'distribution';
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** `127.0.0.1:PORT` */
  host: string;
  stop(): Promise<void>;
}

/** Starts the upstream registry this run tests against, storing under a fresh temp dir. */
export async function startUpstream(): Promise<Upstream> {
  if (testUpstream === 'distribution') {
    const d = await startDistribution();
    return { kind: 'distribution', url: d.url, host: d.host, stop: () => d.stop() };
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-it-registry-'));
  const r = await startRegistry({ root });
  return {
    kind: 'embedded',
    url: r.url,
    host: r.host,
    async stop() {
      await r.close();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * The store the integration suite runs on: SQLite under each Berth's data dir (default),
 * or with `BERTH_TEST_DB=postgres` one throwaway PostgreSQL cluster per test file, started
 * on first use, with a fresh database for every Berth (a restart keeps its database).
 */
const testDb = process.env.BERTH_TEST_DB ?? 'sqlite';
if (testDb !== 'sqlite' && testDb !== 'postgres') throw new Error(`BERTH_TEST_DB must be sqlite or postgres, not ${testDb}`);
let postgres: Promise<Postgres> | null = null;
let databases = 0;
if (testDb === 'postgres') {
  afterAll(async () => {
    await postgres?.then(
      (server) => server.stop(),
      () => undefined,
    );
  });
}

async function freshDatabase(): Promise<string> {
  postgres ??= startPostgres();
  return createDatabase((await postgres).url, `berth_it_${++databases}`);
}

export interface RunningBerth extends Berth {
  dataDir: string;
  host: string;
  /** Calls /api/v1 as admin with Basic auth. */
  api<T = unknown>(method: string, p: string, body?: unknown, auth?: string): Promise<{ status: number; body: T; headers: Headers }>;
  /** Stops and starts again on the same data (and database), in front of `upstreamUrl` when given. */
  restart(next?: { upstreamUrl?: string }): Promise<RunningBerth>;
}

/**
 * Starts Berth in-process on a free port in front of `upstreamUrl` (null: its own embedded
 * registry), data under a temp dir
 * (and in a fresh PostgreSQL database with `BERTH_TEST_DB=postgres`).
 */
export async function startBerth(
  upstreamUrl: string | null,
  opts: { dataDir?: string; env?: Record<string, string>; logger?: Logger } = {},
): Promise<RunningBerth> {
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'berth-it-'));
  const env = { ...opts.env };
  if (testDb === 'postgres' && !env.BERTH_DATABASE_URL) env.BERTH_DATABASE_URL = await freshDatabase();
  const config = loadConfig({
    BERTH_PORT: '0',
    BERTH_HOST: '127.0.0.1',
    BERTH_DATA_DIR: dataDir,
    // null: no upstream, so Berth runs its embedded registry itself, as `npm start` does.
    ...(upstreamUrl ? { BERTH_UPSTREAM_URL: upstreamUrl } : {}),
    BERTH_ADMIN_PASSWORD: ADMIN_PASSWORD,
    BERTH_PULL_FLUSH_MS: '50',
    BERTH_LOGIN_RATE_LIMIT: '1000',
    BERTH_RECONCILE_ON_START: 'false',
    ...env,
  });
  const berth = await start(config, { logger: opts.logger ?? pino({ level: process.env.BERTH_TEST_LOG ?? 'silent' }) });
  const host = `127.0.0.1:${berth.port}`;
  const adminAuth = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`;
  const running: RunningBerth = {
    ...berth,
    dataDir,
    host,
    async api<T>(method: string, p: string, body?: unknown, auth = adminAuth) {
      const res = await fetch(`${berth.url}/api/v1${p}`, {
        method,
        headers: { authorization: auth, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      // Every answer is held to the contract's endpoint table (what /api/v1/openapi.json is built from).
      const problems = responseProblems({ method, path: p, status: res.status, contentType: res.headers.get('content-type'), text });
      if (problems.length > 0) throw new Error(`${method} /api/v1${p}: the answer breaks the API contract:\n- ${problems.join('\n- ')}`);
      return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T, headers: res.headers };
    },
    async restart(next = {}) {
      await berth.stop();
      return startBerth(next.upstreamUrl ?? upstreamUrl, { ...opts, dataDir, env });
    },
  };
  return running;
}

/** Waits until `check` passes (pull counts are written in batches). */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 5000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** Creates a repository and a repository user; returns the user's secret key. */
export async function repositoryWithUser(berth: RunningBerth, repository: string, user: string, permission: 'pull' | 'push' | 'delete'): Promise<string> {
  const repo = await berth.api('GET', `/repositories/${repository}`);
  if (repo.status === 404) {
    const created = await berth.api('POST', '/repositories', { name: repository });
    if (created.status !== 201) throw new Error(`create repository: ${created.status} ${JSON.stringify(created.body)}`);
  }
  const res = await berth.api<{ secret: string }>('POST', `/repositories/${repository}/users`, { name: user, permission });
  if (res.status !== 201) throw new Error(`create user: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.secret;
}

/** A registry token from Berth's token service, for raw /v2 calls. */
export async function registryToken(berth: Berth, creds: { username: string; password: string } | null, scope: string): Promise<string> {
  const url = new URL(`${berth.url}/service/token`);
  url.searchParams.set('service', 'berth');
  url.searchParams.set('scope', scope);
  const headers: Record<string, string> = {};
  if (creds) headers.authorization = `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
  const res = await fetch(url, { headers });
  if (!res.ok) throw new Error(`token: ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}
