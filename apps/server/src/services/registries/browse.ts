import {
  isImageName,
  NAME_COMPONENT,
  TAG_PATTERN,
  TOP_LEVEL_REPOSITORY,
  type ExternalImage,
  type ExternalRepository,
  type ExternalTag,
  type ImageConfigSummary,
  type Page,
} from '@berth/api';
import { ManifestError, parseManifest, imageManifestSize, RegistryError, type RegistryClient } from '@berth/oci';
import { ApiError } from '../../errors.ts';
import { ManifestService, type RawManifest } from '../manifests.ts';
import { repositoryOf } from './connection-test.ts';
import { upstreamUnavailable, type ExternalConnection, type RegistryService } from './registries.ts';

/** How long a registry's catalog and a tag's manifest summary are reused. */
const CATALOG_TTL_MS = 30_000;
const TAG_TTL_MS = 30_000;
/** The catalog is read this far (the names only); past it the lists end there. */
const CATALOG_MAX = 100_000;
const TAG_CACHE_MAX = 5_000;
/** Manifests read at once for one page of tags. */
const MANIFEST_CONCURRENCY = 4;

interface Catalog {
  stamp: string;
  at: number;
  /** Upstream names, sorted. */
  names: string[];
}

const encode = (last: string) => Buffer.from(JSON.stringify([last])).toString('base64url');
function decode(cursor: string | undefined): string | undefined {
  if (!cursor) return undefined;
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && typeof v[0] === 'string') return v[0];
  } catch {
    /* fall through */
  }
  throw new ApiError('INVALID_CURSOR', 'cursor is not valid');
}

/** The page of sorted `items` after the cursor's key. */
function pageAfter<T>(items: T[], keyOf: (t: T) => string, limit: number, cursor: string | undefined): Page<T> {
  const last = decode(cursor);
  let start = 0;
  if (last !== undefined) {
    // Binary search: the first item whose key sorts after the cursor's.
    let lo = 0;
    let hi = items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (keyOf(items[mid]!) <= last) lo = mid + 1;
      else hi = mid;
    }
    start = lo;
  }
  const slice = items.slice(start, start + limit);
  const more = start + limit < items.length;
  return { items: slice, nextCursor: more && slice.length > 0 ? encode(keyOf(slice[slice.length - 1]!)) : null };
}

const fullNameOf = (repository: string, image: string) => (repository === TOP_LEVEL_REPOSITORY ? image : `${repository}/${image}`);

/**
 * Browsing an external registry, read-only, in pages. Repositories and images come from
 * its catalog (the names only, read once per half minute); tags come a page at a time from
 * `tags/list` with `n` and `last`, and only the manifests of the tags on the page are read
 * (four at once, each summary reused for half a minute): nothing reads every tag's manifest.
 */
export class ExternalBrowser {
  private readonly catalogs = new Map<string, Catalog>();
  private readonly tagSummaries = new Map<string, { at: number; tag: ExternalTag }>();

  constructor(
    private readonly registries: RegistryService,
    private readonly now: () => number = Date.now,
  ) {}

  async repositories(registry: string, q: { limit: number; cursor?: string | undefined; q?: string | undefined }): Promise<Page<ExternalRepository>> {
    const c = await this.registries.connection(registry);
    const names = await this.catalog(c);
    const groups = new Map<string, number>();
    for (const n of names) groups.set(repositoryOf(n), (groups.get(repositoryOf(n)) ?? 0) + 1);
    let rows = [...groups].map(([name, imageCount]) => ({ name, imageCount })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (c.record.repository) rows = rows.filter((r) => r.name === c.record.repository);
    if (q.q) rows = rows.filter((r) => r.name.includes(q.q!.toLowerCase()));
    return pageAfter(rows, (r) => r.name, q.limit, q.cursor);
  }

  async images(registry: string, repository: string, q: { limit: number; cursor?: string | undefined; q?: string | undefined }): Promise<Page<ExternalImage>> {
    const c = await this.registries.connection(registry);
    this.checkRepository(c, repository);
    const names = await this.catalog(c);
    let rows = names.filter((n) => repositoryOf(n) === repository).map((fullName) => ({ repository, name: repository === TOP_LEVEL_REPOSITORY ? fullName : fullName.slice(repository.length + 1), fullName }));
    if (q.q) rows = rows.filter((r) => r.name.includes(q.q!.toLowerCase()));
    return pageAfter(rows, (r) => r.name, q.limit, q.cursor);
  }

  async tags(registry: string, repository: string, image: string, q: { limit: number; cursor?: string | undefined }): Promise<Page<ExternalTag>> {
    const c = await this.registries.connection(registry);
    const name = this.checkImage(c, repository, image);
    const last = decode(q.cursor);
    let page: { tags: string[]; more: boolean };
    try {
      page = await c.client.tagsPage(name, q.limit, last);
    } catch (err) {
      if (err instanceof RegistryError && err.status === 404) throw new ApiError('IMAGE_NOT_FOUND', `image ${name} is not in registry ${registry}`);
      throw upstreamUnavailable(err);
    }
    const tags = page.tags.filter((t) => TAG_PATTERN.test(t));
    const items = await mapLimited(tags, MANIFEST_CONCURRENCY, (tag) => this.summary(c, name, tag));
    const lastTag = page.tags[page.tags.length - 1];
    return { items: items.filter((t): t is ExternalTag => t !== null), nextCursor: page.more && lastTag ? encode(lastTag) : null };
  }

  async manifest(registry: string, repository: string, image: string, reference: string): Promise<RawManifest> {
    const c = await this.registries.connection(registry);
    this.checkImage(c, repository, image);
    return this.manifests(c.client).manifest(repository, image, reference);
  }

  async config(registry: string, repository: string, image: string, reference: string): Promise<ImageConfigSummary> {
    const c = await this.registries.connection(registry);
    this.checkImage(c, repository, image);
    return this.manifests(c.client).config(repository, image, reference);
  }

  private manifests(client: RegistryClient): ManifestService {
    // The names were checked above; the registry itself answers 404 for an image it lacks.
    return new ManifestService(null, client, fullNameOf);
  }

  private checkRepository(c: ExternalConnection, repository: string): void {
    if (repository !== TOP_LEVEL_REPOSITORY && !NAME_COMPONENT.test(repository)) throw new ApiError('REPOSITORY_NOT_FOUND', `${repository} is not a repository name`);
    if (c.record.repository && c.record.repository !== repository) {
      throw new ApiError('REPOSITORY_NOT_FOUND', `registry ${c.record.name} shows only the repository ${c.record.repository}`);
    }
  }

  private checkImage(c: ExternalConnection, repository: string, image: string): string {
    this.checkRepository(c, repository);
    if (!isImageName(image) || (repository === TOP_LEVEL_REPOSITORY && image.includes('/'))) throw new ApiError('IMAGE_NOT_FOUND', `${image} is not an image name`);
    return fullNameOf(repository, image);
  }

  private async catalog(c: ExternalConnection): Promise<string[]> {
    const stamp = `${c.record.updatedAt}|${c.record.url}`;
    const kept = this.catalogs.get(c.record.name);
    if (kept && kept.stamp === stamp && this.now() - kept.at < CATALOG_TTL_MS) return kept.names;
    let names: string[];
    try {
      names = (await c.client.catalogUpTo(CATALOG_MAX)).names;
    } catch (err) {
      if (err instanceof RegistryError && (err.status === 401 || err.status === 403 || err.status === 404)) {
        throw new ApiError('CATALOG_UNAVAILABLE', `registry ${c.record.name} does not list its repositories to this account: open an image by name`);
      }
      throw upstreamUnavailable(err);
    }
    names.sort();
    this.catalogs.set(c.record.name, { stamp, at: this.now(), names });
    return names;
  }

  /** What a tag's manifest says; null when the tag went away between the list and the read. */
  private async summary(c: ExternalConnection, name: string, tag: string): Promise<ExternalTag | null> {
    const key = `${c.record.name}|${c.record.updatedAt}|${name}:${tag}`;
    const kept = this.tagSummaries.get(key);
    if (kept && this.now() - kept.at < TAG_TTL_MS) return kept.tag;
    let fetched;
    try {
      fetched = await c.client.manifest(name, tag);
    } catch (err) {
      if (err instanceof RegistryError && err.status === 404) return null;
      throw upstreamUnavailable(err);
    }
    const summary = summarize(tag, fetched.digest, fetched.mediaType, fetched.body);
    if (this.tagSummaries.size >= TAG_CACHE_MAX) this.tagSummaries.delete(this.tagSummaries.keys().next().value!);
    this.tagSummaries.set(key, { at: this.now(), tag: summary });
    return summary;
  }
}

/** Size, platforms and kind of a tag's manifest, as the managed tag list shows them. */
export function summarize(tag: string, digest: string, contentType: string, body: Uint8Array): ExternalTag {
  const mediaType = contentType.split(';')[0]?.trim() ?? '';
  try {
    const m = parseManifest(body, mediaType || undefined);
    if (m.kind === 'image') {
      return { name: tag, digest, mediaType: m.mediaType, artifactType: m.artifactType, size: imageManifestSize(body.byteLength, m), platforms: [], childCount: 0 };
    }
    const platforms = m.manifests.flatMap((d) => (d.platform && d.platform.os !== 'unknown' ? [d.platform] : []));
    return {
      name: tag,
      digest,
      mediaType: m.mediaType,
      artifactType: m.artifactType,
      size: body.byteLength + m.manifests.reduce((sum, d) => sum + d.size, 0),
      platforms,
      childCount: m.manifests.length,
    };
  } catch (err) {
    if (!(err instanceof ManifestError)) throw err;
    return { name: tag, digest, mediaType: mediaType || 'application/octet-stream', artifactType: null, size: body.byteLength, platforms: [], childCount: 0 };
  }
}

/** `fn` over `items`, at most `limit` at once, results in order. */
async function mapLimited<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const run = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, run));
  return out;
}
