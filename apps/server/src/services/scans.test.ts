import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createSqliteStore, type ManifestPush, type Store } from '@berth/store';
import { ImageService } from './images.ts';
import { RepositoryService } from './repositories.ts';
import type { ReportVulnerability, ScanEngine, ScanReport } from './scan-engine.ts';
import { SCAN_JOB, ScanService } from './scans.ts';

const digest = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;
const at = '2026-01-01T00:00:00.000Z';
const push = (n: number, tag: string | null, more: Partial<ManifestPush> = {}): ManifestPush => ({
  repository: 'team',
  image: 'app',
  digest: digest(n),
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  artifactType: null,
  size: 100,
  platforms: [],
  children: [],
  subject: null,
  tag,
  at,
  actor: 'tester',
  ...more,
});
const admin = { kind: 'account' as const, accountId: 1, username: 'admin', role: 'admin' as const };
const vuln = (id: string, severity: ReportVulnerability['severity'], packageType = 'dpkg', fixedVersion: string | null = '2'): ReportVulnerability => ({
  id,
  aliases: [],
  url: `https://osv.dev/vulnerability/${id}`,
  severity,
  score: null,
  vector: null,
  title: id,
  package: 'p',
  packageType,
  installedVersion: '1',
  fixedVersion,
  path: 'var/lib/dpkg/status',
  layer: digest(900),
});
const inventory = { os: null, packages: [], secrets: [], notes: [] };

/** A scan engine that reports what the test says (the real one is tested in the integration suite). */
function fakeEngine() {
  const state = {
    version: 'db-1',
    vulns: [vuln('CVE-1', 'critical'), vuln('CVE-2', 'high', 'npm'), vuln('CVE-3', 'low', 'dpkg', null)],
    platforms: null as null | { digest: string; platform: string }[],
    fail: null as Error | null,
    scans: 0,
  };
  const engine: ScanEngine = {
    async scan(_name, d) {
      state.scans += 1;
      if (state.fail) throw state.fail;
      const platforms = state.platforms ?? [{ digest: d, platform: 'linux/amd64' }];
      return {
        report: {
          version: 1,
          digest: d,
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          scannedAt: at,
          database: { version: state.version, updatedAt: at },
          platforms: platforms.map((p, i) => ({ ...p, inventory, vulnerabilities: i === 0 ? state.vulns : [] })),
        },
      };
    },
    isUnsupported: (err) => err instanceof Error && err.message.startsWith('unsupported:'),
    rematch: (r: ScanReport) => ({ ...r, database: { version: state.version, updatedAt: at }, platforms: r.platforms.map((p) => ({ ...p, vulnerabilities: state.vulns })) }),
    sbom: () => ({}),
    database: () => ({ version: state.version, updatedAt: at, records: 3, ecosystems: [] }),
  };
  return { engine, state };
}

describe('ScanService', () => {
  let store: Store;
  let fake: ReturnType<typeof fakeEngine>;
  let scans: ScanService;
  const run = (n: number, last = false) => scans.runJob({ repository: 'team', image: 'app', digest: digest(n) }, { last, signal: new AbortController().signal });

  beforeEach(async () => {
    store = createSqliteStore(':memory:');
    await store.migrate();
    await store.repositories.create({ name: 'team', description: '', at, actor: 'a' });
    await store.images.recordPush(push(1, 'v1'));
    const repositories = new RepositoryService(store);
    fake = fakeEngine();
    scans = new ScanService(store, repositories, new ImageService(store, repositories), fake.engine, pino({ level: 'silent' }), { maxAttempts: 3, rematchPulledWithinDays: 30 });
  });
  afterEach(async () => {
    await store.close();
  });

  it('queues a scan on push only when the image scans on push, once per artifact', async () => {
    await scans.pushed('team', 'app', digest(1));
    expect((await scans.status('team', 'app', digest(1))).status).toBe('none');
    await scans.putRepositoryScanSettings(admin, 'team', { scanOnPush: true, exclude: { languagePackages: false, secrets: false, withoutFix: false, atOrBelow: null } });
    await scans.pushed('team', 'app', digest(1));
    await scans.pushed('team', 'app', digest(1));
    expect((await scans.status('team', 'app', digest(1))).status).toBe('queued');
    const now = new Date().toISOString();
    const later = new Date(Date.now() + 3_600_000).toISOString();
    const job = await store.jobs.lease('w', now, later, [SCAN_JOB]);
    expect(job).toMatchObject({ kind: SCAN_JOB, payload: { repository: 'team', image: 'app', digest: digest(1) } });
    expect(await store.jobs.lease('w', now, later, [SCAN_JOB])).toBeNull();
  });

  it('stores the counts as the exclusions see them, and recounts when they change', async () => {
    await scans.request(admin, 'team', 'app');
    await run(1);
    expect(await scans.status('team', 'app', digest(1))).toMatchObject({ status: 'done', summary: { critical: 1, high: 1, low: 1 }, fixable: { critical: 1, high: 1 } });
    await scans.putScanSettings(admin, 'team', 'app', { scanOnPush: false, exclude: { languagePackages: true, secrets: false, withoutFix: true, atOrBelow: null } });
    expect((await scans.status('team', 'app', digest(1))).summary).toMatchObject({ critical: 1, high: 0, low: 0 });
    const page = await scans.vulnerabilities('team', 'app', digest(1), { limit: 50, sort: 'severity', order: 'desc', severity: undefined, fixable: undefined });
    expect(page.items.map((v) => v.id)).toEqual(['CVE-1']);
    await scans.putScanSettings(admin, 'team', 'app', { inherit: true });
    expect((await scans.status('team', 'app', digest(1))).summary).toMatchObject({ critical: 1, high: 1, low: 1 });
    expect(fake.state.scans).toBe(1);
  });

  it('records a failure only on the last attempt, and an unreadable artifact at once', async () => {
    await scans.request(admin, 'team', 'app');
    fake.state.fail = new Error('registry unreachable');
    await expect(run(1)).rejects.toThrow('registry unreachable');
    expect((await scans.status('team', 'app', digest(1))).status).toBe('scanning');
    await expect(run(1, true)).rejects.toThrow('registry unreachable');
    expect(await scans.status('team', 'app', digest(1))).toMatchObject({ status: 'failed', error: 'registry unreachable' });
    await scans.request(admin, 'team', 'app');
    fake.state.fail = new Error('unsupported: application/vnd.cncf.helm.config.v1+json is not a container image');
    await run(1);
    expect(await scans.status('team', 'app', digest(1))).toMatchObject({ status: 'unsupported', error: expect.stringContaining('helm') });
  });

  it('gives each platform image of an index its own results', async () => {
    await store.images.recordPush(push(2, null));
    await store.images.recordPush(push(3, null));
    await store.images.recordPush(push(10, 'multi', { mediaType: 'application/vnd.oci.image.index.v1+json', children: [2, 3].map((n) => ({ digest: digest(n), mediaType: 'application/vnd.oci.image.manifest.v1+json', size: 100, platform: null })) }));
    fake.state.platforms = [
      { digest: digest(2), platform: 'linux/amd64' },
      { digest: digest(3), platform: 'linux/arm64' },
    ];
    await scans.request(admin, 'team', 'app', digest(10));
    await run(10);
    expect(await scans.status('team', 'app', digest(10))).toMatchObject({ status: 'done', summary: { critical: 1 }, platforms: [{ digest: digest(2) }, { digest: digest(3) }] });
    expect(await scans.status('team', 'app', digest(2))).toMatchObject({ status: 'done', summary: { critical: 1 }, platforms: [{ digest: digest(2), platform: 'linux/amd64' }] });
    expect(await scans.status('team', 'app', digest(3))).toMatchObject({ status: 'done', summary: { critical: 0, high: 0 } });
  });

  it('matches recently pulled artifacts again when the database changes, and stops when nothing is left', async () => {
    await store.images.recordPush(push(2, 'v2'));
    await scans.request(admin, 'team', 'app');
    await run(1);
    await run(2);
    const now = new Date();
    await store.pulls.apply([{ repository: 'team', image: 'app', count: 1, lastAt: now.toISOString(), artifacts: new Map([[digest(1), { count: 1, lastAt: now.toISOString() }]]), tags: new Map() }]);
    expect(await scans.rematch(now)).toBe(0); // same database
    fake.state.version = 'db-2';
    fake.state.vulns = [vuln('CVE-9', 'medium')];
    expect(await scans.rematch(now)).toBe(1);
    expect(await scans.status('team', 'app', digest(1))).toMatchObject({ summary: { critical: 0, medium: 1 }, database: { version: 'db-2' } });
    // Not pulled lately: left as it was.
    expect(await scans.status('team', 'app', digest(2))).toMatchObject({ summary: { critical: 1 }, database: { version: 'db-1' } });
    expect(fake.state.scans).toBe(2);
    expect(await scans.rematch(now)).toBe(0);
  });
});
