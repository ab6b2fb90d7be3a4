import { describe, expect, it } from 'vitest';
import type { Artifact, ArtifactScan, Image, Me, Page, VulnerabilityDatabase, VulnerabilityPage } from '@berth/api';
import { languageOf, render } from './entry-server';

const me: Me = { username: 'ana', role: 'viewer', csrfToken: 'csrf-secret', publicHost: 'registry.example.com' };
const image: Image = {
  repository: 'team',
  name: 'app',
  description: '',
  status: 'Active',
  locked: false,
  artifactCount: 1,
  tagCount: 2,
  pullCount: 3,
  lastModifiedAt: '2026-11-30T10:00:00.000Z',
  pushedAt: '2026-11-30T10:00:00.000Z',
  pulledAt: null,
  createdAt: '2026-11-30T10:00:00.000Z',
  createdBy: 'admin',
  updatedAt: '2026-11-30T10:00:00.000Z',
  updatedBy: 'admin',
};
const artifact: Artifact = {
  digest: `sha256:${'ab'.repeat(32)}`,
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  artifactType: null,
  tags: ['1.0', 'latest'],
  status: 'Active',
  // A delete of `latest` the registry refused: the tag is listed, Inactive.
  tagStatus: { latest: 'Inactive' },
  lockedTags: [],
  subject: null,
  size: 1234,
  pushedAt: '2026-11-30T10:00:00.000Z',
  pulledAt: null,
  pullCount: 3,
  platforms: [{ os: 'linux', architecture: 'amd64' }],
};

/** Berth's API as the server render sees it: these answers, and a record of what was asked. */
function fakeApi(answers: Record<string, { status: number; body: unknown }>) {
  const asked: string[] = [];
  const fetch = async (url: string, init: RequestInit) => {
    asked.push(`${init.method ?? 'GET'} ${url}`);
    const path = url.split('?')[0]!;
    const answer = answers[path] ?? { status: 404, body: { error: { code: 'NOT_FOUND', message: 'no such thing' } } };
    return new Response(JSON.stringify(answer.body), { status: answer.status, headers: { 'content-type': 'application/json' } });
  };
  return { asked, fetch };
}

const page: Page<Artifact> = { items: [artifact], nextCursor: null };
const imageApi = {
  '/api/v1/auth/me': { status: 200, body: me },
  '/api/v1/repositories/team/images/app': { status: 200, body: image },
  '/api/v1/repositories/team/images/app/artifacts': { status: 200, body: page },
};

describe('the server render of a console page', () => {
  it('renders the image page with its artifact rows, from three API answers', async () => {
    const api = fakeApi(imageApi);
    const result = await render({ url: '/repositories/team/images/app', fetch: api.fetch });
    expect(result.kind).toBe('page');
    if (result.kind !== 'page') return;
    expect(api.asked.sort()).toEqual([
      'GET /api/v1/auth/me',
      'GET /api/v1/repositories/team/images/app',
      'GET /api/v1/repositories/team/images/app/artifacts?limit=50&sort=pushedAt&order=desc',
    ]);
    expect(result.html).toContain(`data-digest="${artifact.digest}"`);
    expect(result.html).toContain('>latest<');
    // Each tag that is not Active says so beside its chip; the others do not.
    expect(result.html.match(/data-testid="tag-status"[^>]*>Inactive</g)).toHaveLength(1);
    expect(result.html).toContain('docker pull registry.example.com/team/app');
    expect(result.language).toBe('en');
    const state = JSON.parse(result.state) as { queries: { queries: { queryKey: unknown[] }[] }; router: { errors: unknown } };
    expect(state.queries.queries.map((q) => q.queryKey[0])).toEqual(expect.arrayContaining(['auth', 'images', 'artifacts']));
    expect(state.router.errors).toBeNull();
  });

  it('renders in the language of the cookie, else of Accept-Language', async () => {
    const vi = await render({ url: '/repositories/team/images/app', cookie: 'a=b; berth_language=vi', fetch: fakeApi(imageApi).fetch });
    expect(vi.kind === 'page' && vi.language).toBe('vi');
    expect(vi.kind === 'page' && vi.html).toContain('Kho');
    expect(languageOf('berth_language=en', 'vi-VN,vi')).toBe('en');
    expect(languageOf(undefined, 'fr-FR, vi;q=0.5')).toBe('vi');
    expect(languageOf('berth_language=fr', 'en-US')).toBe('en');
    expect(languageOf(undefined, undefined)).toBe('en');
  });

  it('leaves the page to the browser when the session is refused or the image does not exist', async () => {
    const signedOut = fakeApi({ '/api/v1/auth/me': { status: 401, body: { error: { code: 'UNAUTHENTICATED', message: 'sign in' } } } });
    expect(await render({ url: '/repositories/team/images/app', fetch: signedOut.fetch })).toEqual({ kind: 'shell' });
    const missing = fakeApi({ '/api/v1/auth/me': { status: 200, body: me } });
    expect(await render({ url: '/repositories/team/images/gone', fetch: missing.fetch })).toEqual({ kind: 'shell' });
  });

  it('keeps concurrent renders apart: each asks the API with its own transport', async () => {
    const a = fakeApi(imageApi);
    const b = fakeApi({ ...imageApi, '/api/v1/auth/me': { status: 200, body: { ...me, username: 'bo' } } });
    const [ra, rb] = await Promise.all([
      render({ url: '/repositories/team/images/app', fetch: a.fetch }),
      render({ url: '/repositories/team/images/app', fetch: b.fetch }),
    ]);
    expect(a.asked).toHaveLength(3);
    expect(b.asked).toHaveLength(3);
    expect(ra.kind === 'page' && ra.html).toContain('>ana<');
    expect(rb.kind === 'page' && rb.html).toContain('>bo<');
  });
});

const scanMe: Me = { username: 'ana', role: 'admin', csrfToken: 'csrf-secret', publicHost: 'registry.example.com' };
const scanDigest = `sha256:${'ab'.repeat(32)}`;
const scanBase = `/api/v1/repositories/team/images/app/artifacts/${encodeURIComponent(scanDigest)}`;
const scanDb: VulnerabilityDatabase = {
  loaded: true,
  version: '2026-11-20',
  records: 2,
  ecosystems: [{ name: 'npm', records: 1 }],
  updatedAt: '2026-11-20T00:00:00.000Z',
  ageDays: 13,
  stale: true,
  staleAfterDays: 7,
};
const doneScan: ArtifactScan = {
  digest: scanDigest,
  status: 'done',
  scannedAt: '2026-12-03T10:00:00.000Z',
  summary: { critical: 1, high: 0, medium: 2, low: 0, negligible: 0, unknown: 0 },
  pullRefusal: 'pull restricted: this artifact of team/app has 1 Critical vulnerabilities; the limit is 1',
  requestedAt: '2026-12-03T09:59:00.000Z',
  startedAt: '2026-12-03T09:59:30.000Z',
  progress: 100,
  error: null,
  fixable: { critical: 1, high: 0 },
  secrets: 1,
  packages: 12,
  platforms: [{ digest: scanDigest, platform: 'linux/amd64', os: 'debian 12', packages: 12 }],
  database: { version: '2026-11-20', updatedAt: '2026-11-20T00:00:00.000Z' },
};
const scanVulns: VulnerabilityPage = {
  items: [
    {
      id: 'GHSA-35jh-r3h4-6jhm',
      aliases: ['CVE-2021-23337'],
      url: 'https://osv.dev/vulnerability/GHSA-35jh-r3h4-6jhm',
      severity: 'critical',
      score: 9.8,
      vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      title: 'Command injection in lodash',
      package: 'lodash',
      packageType: 'npm',
      installedVersion: '4.17.20',
      fixedVersion: '4.17.21',
      path: 'node_modules/lodash/package.json',
      layer: `sha256:${'cd'.repeat(32)}`,
      platform: 'linux/amd64',
    },
  ],
  nextCursor: null,
  total: 1,
};

function fakeScanApi(answers: Record<string, unknown>) {
  const asked: string[] = [];
  const fetch = async (url: string, init: RequestInit) => {
    asked.push(`${init.method ?? 'GET'} ${url}`);
    const body = answers[url.split('?')[0]!];
    return body === undefined
      ? new Response(JSON.stringify({ error: { code: 'SCAN_NOT_FOUND', message: 'no finished scan' } }), { status: 404 })
      : new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  return { asked, fetch };
}

describe('the scan results page', () => {
  it('renders the summary, the stale-database warning, the refusal and the first vulnerabilities, the advisory linked in a new tab', async () => {
    const api = fakeScanApi({ '/api/v1/auth/me': scanMe, [`${scanBase}/scan`]: doneScan, '/api/v1/vulnerability-database': scanDb, [`${scanBase}/vulnerabilities`]: scanVulns });
    const result = await render({ url: `/repositories/team/scans/${scanDigest}/app`, fetch: api.fetch });
    expect(result.kind).toBe('page');
    if (result.kind !== 'page') return;
    expect(api.asked).toContain(`GET ${scanBase}/vulnerabilities?limit=100&sort=severity&order=desc`);
    const html = result.html;
    expect(html).toContain('data-warning="stale"');
    expect(html).toContain('The advisory database is 13 days old (stale after 7)');
    expect(html).toContain(doneScan.pullRefusal);
    expect(html).toMatch(/data-level="critical" data-count="1"/);
    expect(html).toMatch(/<a href="https:\/\/osv.dev\/vulnerability\/GHSA-35jh-r3h4-6jhm" target="_blank" rel="noopener noreferrer"/);
    expect(html).toContain('4.17.21');
    expect(html).toContain(`href="${scanBase}/sbom"`);
    expect(html).toContain(`href="${scanBase}/scan-report"`);
  });

  it('shows where a scan stands, and asks for no results, while it has none', async () => {
    const queued: ArtifactScan = { ...doneScan, status: 'queued', scannedAt: null, pullRefusal: null, database: null };
    const api = fakeScanApi({ '/api/v1/auth/me': scanMe, [`${scanBase}/scan`]: queued, '/api/v1/vulnerability-database': { ...scanDb, stale: false } });
    const result = await render({ url: `/repositories/team/scans/${scanDigest}/app`, fetch: api.fetch });
    expect(result.kind).toBe('page');
    if (result.kind !== 'page') return;
    expect(api.asked.some((a) => a.includes('/vulnerabilities'))).toBe(false);
    expect(result.html).toContain('data-status="queued"');
    expect(result.html).toContain('Waiting for the scanner.');
    expect(result.html).not.toContain('data-warning');
  });
});
