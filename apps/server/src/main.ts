import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import { RegistryClient } from '@berth/oci';
import { createPostgresStore, createSqliteStore, type Store } from '@berth/store';
import type { Config } from './config.ts';
import { UpstreamProxy } from './frontdoor/proxy.ts';
import { TokenService } from './frontdoor/tokens.ts';
import { createApp } from './http/app.ts';
import { createHttpServer } from './http/server-timeouts.ts';
import { loadConsoleRenderer } from './http/console.ts';
import { Metrics } from './http/metrics.ts';
import { JobWorker } from './jobs/worker.ts';
import { nowIso } from './services/clock.ts';

/** Reconciliation with the upstream runs as a leased job: once per interval, on one instance. */
const RECONCILE_JOB = 'reconcile';
import { AccountService } from './services/accounts.ts';
import { ImageService } from './services/images.ts';
import { ManifestService } from './services/manifests.ts';
import { Indexer } from './services/indexer.ts';
import { PullCounter } from './services/pull-counter.ts';
import { Reconciler } from './services/reconcile.ts';
import { RepositoryService } from './services/repositories.ts';
import { startRegistryWorker, type RegistryWorker } from '@berth/registry';
import { RegistryGc } from './services/registry-gc.ts';
import { DeleteService } from './services/deletes.ts';
import { dailyPolicyJob, DeletionPolicyService, followingPolicyJob, POLICY_ACTOR, POLICY_JOB } from './services/deletion-policies.ts';
import { REMATCH_JOB, SCAN_JOB, ScanService, type ScanJobPayload } from './services/scans.ts';
import { RegistryScanEngine } from './services/scanner-engine.ts';
import { VulnerabilityDatabaseService } from './services/vulnerability-database.ts';
import { AddressGuard } from './services/registries/address-guard.ts';
import { ExternalBrowser } from './services/registries/browse.ts';
import { CredentialBox } from './services/registries/credential-box.ts';
import { RegistryService } from './services/registries/registries.ts';

export { loadConfig, ConfigError, type Config } from './config.ts';

/** A running Berth. */
export interface Berth {
  url: string;
  port: number;
  publicUrl: string;
  upstreamUrl: string;
  store: Store;
  accounts: AccountService;
  pulls: PullCounter;
  reconciler: Reconciler;
  stop(): Promise<void>;
}

function defaultConsoleDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  // src/ (tsx, tests) and dist/ (built) both sit in apps/server.
  return path.resolve(here, '../../console/dist');
}

/** Starts Berth: store, upstream, services, HTTP. `stop()` undoes it in reverse. */
export async function start(config: Config, opts: { logger?: Logger } = {}): Promise<Berth> {
  const log = opts.logger ?? pino({ level: config.logLevel, base: { service: 'berth' } });
  fs.mkdirSync(config.dataDir, { recursive: true });
  const metrics = new Metrics();
  const store = metrics.timeStore(
    config.databaseUrl ? createPostgresStore(config.databaseUrl) : createSqliteStore(path.join(config.dataDir, 'berth.db')),
  );
  await store.migrate().catch(async (err: unknown) => {
    await store.close().catch(() => undefined);
    throw err;
  });

  // With no upstream configured, Berth's own registry serves on a loopback port, in a
  // worker thread (its file I/O and hashing use the other core), storing under the data dir. It takes a random credential, so only this process can reach it.
  let embedded: RegistryWorker | null = null;
  let upstream = config.upstream;
  if (!upstream) {
    const credentials = { username: 'berth', password: randomBytes(24).toString('base64url') };
    const root = path.join(config.dataDir, 'registry');
    embedded = await startRegistryWorker({ root, credentials, log: log.child({ component: 'registry' }) }).catch(async (err: unknown) => {
      await store.close();
      throw err;
    });
    log.info({ url: embedded.url, root }, 'started the embedded registry');
    upstream = { url: embedded.url, ...credentials };
  }
  const credentials = upstream.username && upstream.password ? { username: upstream.username, password: upstream.password } : undefined;
  const client = new RegistryClient(upstream.url, credentials, 'berth');
  const proxy = new UpstreamProxy(
    upstream.url,
    () => client.authorization(),
    (n) => metrics.bytes.inc({ direction: 'in' }, n),
    () => metrics.upstreamErrors.inc(),
    embedded ? (req) => embedded.request(req) : undefined,
  );

  const secretKey = config.secretKey ?? (await store.settings.init('secret_key', randomBytes(32).toString('base64url')));
  const accounts = new AccountService(store, log, config.sessionHours);
  await accounts.ensureAdmin(config.adminPassword);
  const repositories = new RepositoryService(store);
  const images = new ImageService(store, repositories);
  const indexer = new Indexer(store, client, log);
  const pulls = new PullCounter(store, log, config.pullFlushMs);
  const reconciler = new Reconciler(store, client, indexer, log);
  const gc = new RegistryGc(store, embedded ? (opts) => embedded.collectGarbage({ ...opts, graceMs: config.gcGraceMinutes * 60_000 }) : null);
  const deletes = new DeleteService(store, client, log.child({ component: 'deletes' }));
  // After a policy run deleted something, the embedded registry collects the blobs nothing uses any more.
  const policies = new DeletionPolicyService(store, repositories, images, deletes, log, config.policyRunAt, async () => {
    if (gc.available) await gc.run(POLICY_ACTOR, { dryRun: false, untagged: 'keep' });
  });

  // Scanning: the advisory database is loaded here and again whenever its directory changes;
  // a new version queues one re-match of recently pulled artifacts (keyed by the version,
  // so with several instances it runs once).
  const vulnerabilityDatabase = new VulnerabilityDatabaseService(config.vulnDbDir, config.vulnDbStaleDays, log.child({ component: 'vuln-db' }), async (version) => {
    await store.jobs.enqueue({ kind: REMATCH_JOB, dedupeKey: `${REMATCH_JOB}:${version}`, maxAttempts: 3 }, nowIso());
  });
  const scans = new ScanService(store, repositories, images, new RegistryScanEngine(client, vulnerabilityDatabase), log.child({ component: 'scans' }), {
    maxAttempts: config.scanAttempts,
    rematchPulledWithinDays: config.rescanPulledDays,
  });
  await vulnerabilityDatabase.refresh();
  vulnerabilityDatabase.watch(config.vulnDbCheckMs);

  const consoleDir = config.consoleDir ?? defaultConsoleDir();
  const consoleRenderer = await loadConsoleRenderer(consoleDir).catch((err: unknown) => {
    log.warn({ err }, 'the console server render could not be loaded; pages render in the browser');
    return null;
  });
  let url = '';
  const server = createHttpServer(config);
  // The host people type in docker/podman commands, known once Berth listens.
  let publicHost = '';
  const registries = new RegistryService(
    store,
    { url: upstream.url, engine: embedded ? 'embedded' : 'upstream', publicHost: () => publicHost },
    new CredentialBox(secretKey),
    new AddressGuard(config.registryAllow),
    config.registryTimeoutMs,
    log.child({ component: 'registries' }),
  );
  await registries.init();
  let ready = false;
  const tokens = new TokenService(secretKey, 'berth', config.tokenTtlSeconds);
  const app = createApp({
    log,
    store,
    accounts,
    repositories,
    images,
    // Manifests for the console are read with Berth's own upstream client: never a counted pull.
    manifests: new ManifestService(images, client),
    reconciler,
    registries,
    externalBrowser: new ExternalBrowser(registries),
    gc,
    deletes,
    policies,
    scans,
    vulnerabilityDatabase,
    frontDoor: {
      tokens,
      proxy,
      indexer,
      pulls,
      pushed: (e) => scans.pushed(e.repository, e.image, e.digest),
      realm: (req) => `${config.publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`}/service/token`,
      tokenRateLimit: config.loginRateLimit,
    },
    consoleDir,
    consoleRenderer,
    selfUrl: () => url,
    loginRateLimit: config.loginRateLimit,
    metrics,
    metricsToken: config.metricsToken,
    secureCookies: (config.publicUrl ?? '').startsWith('https://'),
    ready: async () => {
      if (!ready) return false;
      await store.settings.get('secret_key');
      return true;
    },
  });
  server.on('request', app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  url = `http://${host}:${port}`;
  const publicUrl = config.publicUrl ?? `http://localhost:${port}`;
  publicHost = new URL(publicUrl).host;

  pulls.start();
  metrics.pendingPullsSource = () => pulls.pendingImages();
  const lastUsedTimer = setInterval(() => void accounts.flushLastUsed().catch((err) => log.warn({ err }, 'last-used flush failed')), config.pullFlushMs);
  lastUsedTimer.unref();

  // Jobs are leased from the store: with several instances, each runs on one of them.
  const worker = new JobWorker(
    store,
    {
      [POLICY_JOB]: async (_payload, job) => {
        // The next day's run is queued first (its day is its key), so a run that fails for
        // good still leaves the next one in place.
        await store.jobs.enqueue(followingPolicyJob(job, config.policyRunAt, new Date()), nowIso());
        const done = await policies.runScheduled();
        log.info(done, 'deletion policies ran');
      },
      [REMATCH_JOB]: async () => {
        const count = await scans.rematch();
        log.info({ count }, 'scans matched against the new advisory database');
      },
      [RECONCILE_JOB]: async () => {
        await reconciler.sync();
        if (config.reconcileIntervalMinutes === 0) return;
        const runAt = new Date(Date.now() + config.reconcileIntervalMinutes * 60_000).toISOString();
        return { next: { kind: RECONCILE_JOB, dedupeKey: RECONCILE_JOB, runAt } };
      },
    },
    log,
    { pollMs: config.jobPollMs, leaseMs: config.jobLeaseMs },
  );
  if (config.reconcileOnStart || config.reconcileIntervalMinutes > 0) {
    const runAt = config.reconcileOnStart ? nowIso() : new Date(Date.now() + config.reconcileIntervalMinutes * 60_000).toISOString();
    await store.jobs.enqueue({ kind: RECONCILE_JOB, dedupeKey: RECONCILE_JOB, runAt, advance: true }, nowIso());
  }
  await store.jobs.enqueue(dailyPolicyJob(new Date(), config.policyRunAt), nowIso());
  worker.start();
  // Scans run apart from the other jobs, up to BERTH_SCAN_CONCURRENCY at once, each within its time limit.
  const scanWorkers = Array.from(
    { length: config.scanConcurrency },
    () =>
      new JobWorker(
        store,
        {
          [SCAN_JOB]: async (payload, job) => {
            const signal = AbortSignal.timeout(config.scanTimeoutMs);
            await scans.runJob(payload as ScanJobPayload, { last: job.attempts >= job.maxAttempts, signal });
          },
        },
        log,
        { pollMs: config.jobPollMs, leaseMs: config.jobLeaseMs, retryBaseMs: 10_000 },
      ),
  );
  for (const w of scanWorkers) w.start();
  metrics.jobStatsSource = () => store.jobs.stats(nowIso());
  ready = true;
  log.info({ url, publicUrl, upstream: upstream.url, store: config.databaseUrl ? 'postgres' : 'sqlite' }, 'Berth is serving');

  let stopping: Promise<void> | null = null;
  return {
    url,
    port,
    publicUrl,
    upstreamUrl: upstream.url,
    store,
    accounts,
    pulls,
    reconciler,
    stop: () =>
      (stopping ??= (async () => {
        // Unready first, so a load balancer stops sending; then stop accepting and let
        // in-flight uploads and downloads finish, up to the shutdown timeout.
        ready = false;
        clearInterval(lastUsedTimer);
        if (config.shutdownDrainMs > 0) await new Promise((r) => setTimeout(r, config.shutdownDrainMs));
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
          const idle = setInterval(() => server.closeIdleConnections(), 250);
          idle.unref();
          server.once('close', () => clearInterval(idle));
          setTimeout(() => {
            log.warn('shutdown timeout reached; closing the connections still open');
            server.closeAllConnections();
          }, config.shutdownTimeoutMs).unref();
        });
        vulnerabilityDatabase.stop();
        await Promise.all([worker.stop(), ...scanWorkers.map((w) => w.stop())]);
        await pulls.stop();
        await accounts.flushLastUsed().catch(() => undefined);
        await proxy.close();
        await registries.close();
        await store.close();
        if (embedded) await embedded.close(config.shutdownTimeoutMs);
        log.info('Berth stopped');
      })()),
  };
}
