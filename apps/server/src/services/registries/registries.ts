import type {
  ConnectionTest,
  CreateRegistryRequest,
  DeleteRegistryResult,
  Page,
  Registry,
  RegistryCapability,
  RegistryConnectionRequest,
  RetestRegistryRequest,
  UpdateRegistryRequest,
} from '@berth/api';
import { NAME_COMPONENT, TOP_LEVEL_REPOSITORY } from '@berth/api';
import { RegistryClient, RegistryError } from '@berth/oci';
import type { RegistryRecord, Store } from '@berth/store';
import type { Logger } from 'pino';
import { ApiError } from '../../errors.ts';
import { nowIso } from '../clock.ts';
import { actorName, type Identity } from '../identity.ts';
import type { AddressGuard } from './address-guard.ts';
import { repositoryOf, testConnection, type ConnectionSettings } from './connection-test.ts';
import type { CredentialBox } from './credential-box.ts';
import { guardedFetch } from './guarded-fetch.ts';

/** Docker Hub's registry endpoint, and the host its images are pulled by. */
export const DOCKER_HUB_URL = 'https://registry-1.docker.io';
const DOCKER_HUB_HOST = 'docker.io';

/** The managed registry's name in URLs. */
export const MANAGED_REGISTRY = 'default';

/** What Berth needs to know of the managed registry to describe it. */
export interface ManagedRegistry {
  url: string;
  engine: 'embedded' | 'upstream';
  /** The host people type in docker commands (known once Berth listens). */
  publicHost(): string;
}

/** An external registry ready to be read: its record and a client signed in with its account. */
export interface ExternalConnection {
  record: RegistryRecord;
  registry: Registry;
  client: RegistryClient;
}

/** What the capabilities of a registry are, from its kind, engine and mode. */
export function capabilitiesOf(r: Pick<RegistryRecord, 'kind' | 'engine' | 'mode'>): RegistryCapability[] {
  if (r.kind === 'managed') return r.engine === 'embedded' ? ['browse', 'pull', 'push', 'delete', 'gc', 'sync'] : ['browse', 'pull', 'push', 'delete', 'sync'];
  return r.mode === 'pull-only' ? ['browse', 'pull'] : ['browse', 'pull', 'push', 'delete'];
}

function invalid(message: string, field: string): ApiError {
  return new ApiError('VALIDATION_FAILED', message, [{ path: field, message }]);
}

/**
 * The registries Berth knows: the managed one (its row written from the configuration at
 * each start) and the external ones admins register. Every change to an external one is
 * tested first and saved only when the test passes; its password or token is sealed before
 * it reaches the store and opened only to sign a request, never returned or logged.
 */
export class RegistryService {
  private readonly clients = new Map<string, { stamp: string; connection: ExternalConnection; close(): Promise<void> }>();

  constructor(
    private readonly store: Store,
    private readonly managed: ManagedRegistry,
    private readonly box: CredentialBox,
    private readonly guard: AddressGuard,
    private readonly timeoutMs: number,
    private readonly log: Logger,
  ) {}

  /** Writes the managed registry's row: done at start. */
  async init(): Promise<void> {
    await this.store.registries.putManaged({ name: MANAGED_REGISTRY, url: this.managed.url, engine: this.managed.engine, at: nowIso() });
  }

  managedPublicHost(): string {
    return this.managed.publicHost();
  }

  async list(q: { limit: number; cursor?: string | undefined; q?: string | undefined }): Promise<Page<Registry>> {
    const page = await this.store.registries.list(q);
    const managedCount = page.items.some((r) => r.kind === 'managed') ? await this.store.repositories.count() : 0;
    return { items: page.items.map((r) => this.toApi(r, managedCount)), nextCursor: page.nextCursor };
  }

  async get(name: string): Promise<Registry> {
    const record = await this.require(name);
    return this.toApi(record, record.kind === 'managed' ? await this.store.repositories.count() : 0);
  }

  /** Tests settings that are not saved (the Add registry dialog). */
  async test(req: RegistryConnectionRequest): Promise<ConnectionTest> {
    const settings = this.settingsOf(req);
    return this.run(settings);
  }

  async create(who: Identity, req: CreateRegistryRequest): Promise<Registry> {
    const settings = this.settingsOf(req);
    if (await this.store.registries.get(req.name)) throw new ApiError('ALREADY_EXISTS', `registry ${req.name} already exists`);
    const test = await this.run(settings);
    if (!test.ok) throw new ApiError('CONNECTION_FAILED', `the connection test failed: ${test.message}`, test);
    const at = nowIso();
    const actor = actorName(who);
    const record = await this.store.registries.create({
      name: req.name,
      kind: 'external',
      type: req.type,
      url: settings.url,
      engine: null,
      mode: req.mode,
      repository: settings.repository,
      username: settings.username,
      secret: settings.password ? this.box.seal(settings.password, req.name) : null,
      insecure: settings.insecure,
      lastTest: JSON.stringify(test),
      at,
      actor,
    });
    const registry = this.toApi(record, 0);
    await this.store.audit.record({ at, actor, action: 'registry.create', target: req.name, after: registry });
    return registry;
  }

  /**
   * Tests a saved registry: as saved (the result is kept as its last test), or with another
   * account or repository (the Edit authentication dialog; nothing is kept).
   */
  async retest(name: string, req: RetestRegistryRequest): Promise<ConnectionTest> {
    const record = await this.requireExternal(name);
    const changed = req.username !== undefined || req.password !== undefined || req.repository !== undefined;
    const test = await this.run(this.merged(record, req));
    if (!changed) await this.store.registries.update(name, { lastTest: JSON.stringify(test) });
    return test;
  }

  /** Changes the account, mode or repository: tested with the change first; a failed test saves nothing. */
  async update(who: Identity, name: string, req: UpdateRegistryRequest): Promise<Registry> {
    const before = await this.requireExternal(name);
    const settings = this.merged(before, req);
    const test = await this.run(settings);
    if (!test.ok) throw new ApiError('CONNECTION_FAILED', `the connection test failed: ${test.message}`, test);
    const at = nowIso();
    const actor = actorName(who);
    const secret = req.password !== undefined || req.username === null ? (settings.password ? this.box.seal(settings.password, name) : null) : undefined;
    const after = (await this.store.registries.update(
      name,
      {
        username: settings.username,
        ...(secret !== undefined ? { secret } : {}),
        ...(req.mode ? { mode: req.mode } : {}),
        repository: settings.repository,
        lastTest: JSON.stringify(test),
      },
      { at, actor },
    ))!;
    await this.drop(name);
    const registry = this.toApi(after, 0);
    await this.store.audit.record({ at, actor, action: 'registry.update', target: name, before: this.toApi(before, 0), after: registry });
    return registry;
  }

  /**
   * Removes an external registry from Berth. With `deleteUpstream`, the content of its
   * repository is deleted in the registry first (every manifest of every image under it);
   * when some of it could not be deleted the registry stays in Berth, so the delete can be
   * retried, and the answer says what is left and why.
   */
  async remove(who: Identity, name: string, deleteUpstream: boolean): Promise<DeleteRegistryResult> {
    const record = await this.requireExternal(name);
    let upstream: DeleteRegistryResult['upstream'] = null;
    if (deleteUpstream) {
      if (record.mode === 'pull-only') throw new ApiError('REGISTRY_PULL_ONLY', `registry ${name} is pull-only: Berth never deletes there`);
      if (!record.repository) throw invalid('the registry is not bound to one repository, so there is no repository to delete', 'deleteUpstream');
      upstream = await this.deleteRepositoryContent((await this.connection(name)).client, record.repository);
    }
    const at = nowIso();
    const actor = actorName(who);
    if (upstream && upstream.failed.length > 0) {
      await this.store.audit.record({ at, actor, action: 'registry.delete-upstream', target: name, after: upstream });
      return { deleted: false, upstream };
    }
    await this.drop(name);
    await this.store.registries.delete(name);
    await this.store.audit.record({ at, actor, action: 'registry.delete', target: name, before: this.toApi(record, 0), ...(upstream ? { after: upstream } : {}) });
    return { deleted: true, upstream };
  }

  /** The external registry `name`, signed in with its account, for browsing. */
  async connection(name: string): Promise<ExternalConnection> {
    const record = await this.requireExternal(name);
    const cached = this.clients.get(name);
    if (cached && cached.stamp === stampOf(record)) return cached.connection;
    // Stale (changed here or on another instance): its connections are closed once idle.
    if (cached) void cached.close();
    const http = guardedFetch(this.guard, this.timeoutMs);
    const password = record.secret ? this.openSecret(record) : null;
    const creds = record.username && password ? { username: record.username, password } : undefined;
    const connection: ExternalConnection = { record, registry: this.toApi(record, 0), client: new RegistryClient(record.url, creds, 'berth', { fetch: http.fetch }) };
    this.clients.set(name, { stamp: stampOf(record), connection, close: http.close });
    return connection;
  }

  async close(): Promise<void> {
    await Promise.all([...this.clients.values()].map((c) => c.close()));
    this.clients.clear();
  }

  private async drop(name: string): Promise<void> {
    const cached = this.clients.get(name);
    this.clients.delete(name);
    if (cached) await cached.close();
  }

  private openSecret(record: RegistryRecord): string {
    try {
      return this.box.open(record.secret!, record.name);
    } catch {
      // A changed BERTH_SECRET_KEY: the account must be entered again.
      throw new ApiError('UPSTREAM_UNAVAILABLE', `the stored credentials of ${record.name} cannot be read with this secret key: edit its authentication information`);
    }
  }

  private async deleteRepositoryContent(client: RegistryClient, repository: string): Promise<NonNullable<DeleteRegistryResult['upstream']>> {
    let names: string[];
    try {
      names = (await client.catalogUpTo(Infinity)).names.filter((n) => repositoryOf(n) === repository);
    } catch (err) {
      if (err instanceof RegistryError) throw new ApiError('CATALOG_UNAVAILABLE', 'the registry does not list its repositories, so Berth cannot find what to delete; nothing was deleted');
      throw upstreamUnavailable(err);
    }
    const deleted: NonNullable<DeleteRegistryResult['upstream']>['deleted'] = [];
    const failed: NonNullable<DeleteRegistryResult['upstream']>['failed'] = [];
    for (const image of names) {
      let tags: string[];
      try {
        tags = await client.tags(image);
      } catch (err) {
        failed.push({ image, reference: '*', reason: reasonOf(err) });
        continue;
      }
      const byDigest = new Map<string, string[]>();
      for (const tag of tags) {
        try {
          const digest = await client.manifestDigest(image, tag);
          if (digest) byDigest.set(digest, [...(byDigest.get(digest) ?? []), tag]);
        } catch (err) {
          failed.push({ image, reference: tag, reason: reasonOf(err) });
        }
      }
      for (const [digest, on] of byDigest) {
        const answer = await client.deleteManifest(image, digest).catch((err: unknown) => ({ answer: 'refused' as const, status: 0, message: reasonOf(err) }));
        if (answer.answer === 'refused') {
          const why =
            answer.status === 405 ? 'the registry does not allow deletes' : answer.status === 401 || answer.status === 403 ? 'the account may not delete' : (answer.message ?? `refused (${answer.status})`);
          failed.push({ image, reference: digest, reason: why });
        } else deleted.push({ image, digest, tags: on.sort() });
      }
    }
    return { deleted, failed };
  }

  /** Runs a test, logging its outcome without anything secret. */
  private async run(settings: ConnectionSettings & { insecure: boolean }): Promise<ConnectionTest> {
    const http = guardedFetch(this.guard, this.timeoutMs);
    try {
      const test = await testConnection(settings, http.fetch);
      this.log.info({ url: settings.url, ok: test.ok, reason: test.reason, durationMs: test.durationMs }, 'registry connection tested');
      return test;
    } finally {
      await http.close();
    }
  }

  /** The settings of a request, checked: a URL Berth may use, a repository name, an account. */
  private settingsOf(req: RegistryConnectionRequest): ConnectionSettings & { insecure: boolean } {
    if (req.repositoryMode === 'new') {
      throw invalid('Docker Hub and other registries make a repository on first push: choose an existing repository', 'repositoryMode');
    }
    const raw = req.type === 'dockerhub' ? (req.url ?? DOCKER_HUB_URL) : req.url;
    if (!raw) throw invalid('give the registry URL', 'url');
    const url = this.checkUrl(raw, req.insecure);
    const repository = req.repository ? checkRepository(req.repository) : null;
    const username = req.username?.trim() || null;
    const password = req.password || null;
    if (Boolean(username) !== Boolean(password)) throw invalid('give both a username and a password or token, or neither', username ? 'password' : 'username');
    return { url, insecure: req.insecure, username, password, repository };
  }

  private merged(record: RegistryRecord, req: { username?: string | null | undefined; password?: string | null | undefined; repository?: string | null | undefined }) {
    const username = req.username === undefined ? record.username : req.username?.trim() || null;
    let password: string | null;
    if (req.password !== undefined) password = req.password || null;
    else if (req.username === null) password = null;
    else password = record.secret ? this.openSecret(record) : null;
    if (Boolean(username) !== Boolean(password)) throw invalid('give both a username and a password or token, or neither', username ? 'password' : 'username');
    const repository = req.repository === undefined ? record.repository : req.repository ? checkRepository(req.repository) : null;
    return { url: record.url, insecure: record.insecure, username, password, repository };
  }

  private checkUrl(raw: string, insecure: boolean): string {
    let url: URL;
    try {
      url = new URL(raw.trim());
    } catch {
      throw invalid('is not a URL (https://host[:port])', 'url');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalid('must be an https:// URL', 'url');
    if (url.username || url.password) throw invalid('must not carry credentials: give them as username and password', 'url');
    if (url.search || url.hash) throw invalid('must not have a query or fragment', 'url');
    if (url.pathname !== '/' && url.pathname !== '') throw invalid('must be the registry root (https://host[:port]), without a path', 'url');
    if (url.protocol === 'http:') {
      if (!insecure) throw invalid('is plain HTTP: use https, or allow plain HTTP for a loopback or lab host', 'url');
      if (!this.guard.allowsPlainHttp(url.hostname)) throw invalid(`plain HTTP is allowed only for loopback and hosts in BERTH_REGISTRY_ALLOW; ${url.hostname} is neither`, 'url');
    }
    return url.origin;
  }

  private async require(name: string): Promise<RegistryRecord> {
    const record = await this.store.registries.get(name);
    if (!record) throw new ApiError('REGISTRY_NOT_FOUND', `registry ${name} does not exist`);
    return record;
  }

  private async requireExternal(name: string): Promise<RegistryRecord> {
    const record = await this.require(name);
    if (record.kind !== 'external') throw new ApiError('REGISTRY_UNSUPPORTED', `registry ${name} is the managed registry: it is configured, not edited`);
    return record;
  }

  toApi(r: RegistryRecord, managedRepositoryCount: number): Registry {
    const lastTest = r.lastTest ? (JSON.parse(r.lastTest) as ConnectionTest) : null;
    let repositoryCount: number | null;
    if (r.kind === 'managed') repositoryCount = managedRepositoryCount;
    else if (r.repository) repositoryCount = 1;
    else repositoryCount = lastTest?.catalog?.count ?? null;
    return {
      name: r.name,
      kind: r.kind,
      type: r.type,
      url: r.url,
      publicHost: r.kind === 'managed' ? this.managed.publicHost() : r.type === 'dockerhub' ? DOCKER_HUB_HOST : new URL(r.url).host,
      engine: r.engine,
      mode: r.mode,
      capabilities: capabilitiesOf(r),
      repository: r.repository,
      username: r.username,
      insecure: r.insecure,
      lastTest,
      repositoryCount,
      createdAt: r.createdAt,
      createdBy: r.createdBy,
      updatedAt: r.updatedAt,
      updatedBy: r.updatedBy,
    };
  }
}

/** What the cached client of a registry was built from: a change anywhere (another instance too) rebuilds it. */
const stampOf = (r: RegistryRecord) => `${r.updatedAt}|${r.username ?? ''}|${r.secret ?? ''}|${r.url}`;

function checkRepository(value: string): string {
  const name = value.trim();
  if (name === TOP_LEVEL_REPOSITORY || (name.length <= 255 && NAME_COMPONENT.test(name))) return name;
  throw invalid('is not a repository name (lowercase letters and digits, separated by ".", "_", "__" or "-")', 'repository');
}

function reasonOf(err: unknown): string {
  if (err instanceof RegistryError) return err.status === 401 || err.status === 403 ? 'the account may not read it' : `${err.status}: ${err.message}`;
  return 'the registry could not be reached';
}

export function upstreamUnavailable(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof RegistryError) {
    if (err.status === 401 || err.status === 403) return new ApiError('UPSTREAM_UNAVAILABLE', 'the registry refused Berth\'s account: test the connection');
    return new ApiError('UPSTREAM_UNAVAILABLE', `the registry answered ${err.status}`);
  }
  return new ApiError('UPSTREAM_UNAVAILABLE', 'the registry could not be reached: test the connection');
}
