import { SECRET_ENV_NAME, type EnvVariable, type HistoryEntry, type ImageConfigSummary, type LayerDescriptor } from '@berth/api';
import { isImageConfigMediaType, ManifestError, parseManifest, parseReference, RegistryError, type FetchedManifest, type ParsedManifest, type RegistryClient } from '@berth/oci';
import { ApiError } from '../errors.ts';
import type { ImageService } from './images.ts';


/** A manifest exactly as the registry serves it. */
export interface RawManifest {
  digest: string;
  mediaType: string;
  body: Uint8Array;
}

/**
 * Reads manifests and image configs from the upstream with Berth's own client, for the
 * console. These reads go around the front door: they are not pulls and are not counted.
 */
export class ManifestService {
  /**
   * `images.get` refuses an image Berth does not know (404) before the registry is asked
   * (null: nothing to check, the registry's own 404 answers);
   * `nameOf` spells the registry's name of an image (an external registry lists top-level
   * names under the repository `_`).
   */
  constructor(
    private readonly images: Pick<ImageService, 'get'> | null,
    private readonly upstream: RegistryClient,
    private readonly nameOf: (repository: string, image: string) => string = (repository, image) => `${repository}/${image}`,
  ) {}

  /** The manifest bytes, media type and digest the registry serves for `reference`. */
  async manifest(repository: string, image: string, reference: string): Promise<RawManifest> {
    const fetched = await this.fetch(repository, image, reference);
    const mediaType = fetched.mediaType.split(';')[0]?.trim() || parsed(fetched)?.mediaType || 'application/octet-stream';
    return { digest: fetched.digest, mediaType, body: fetched.body };
  }

  /** The config of an image manifest, summarized; secret-looking env values are left out. */
  async config(repository: string, image: string, reference: string): Promise<ImageConfigSummary> {
    const fetched = await this.fetch(repository, image, reference);
    const manifest = parsed(fetched);
    if (!manifest) throw new ApiError('CONFIG_NOT_FOUND', `${reference} is not an image manifest Berth can read`);
    if (manifest.kind !== 'image') {
      throw new ApiError('CONFIG_NOT_FOUND', `${reference} is an index: it has no config; ask for one of its manifests`);
    }
    if (!isImageConfigMediaType(manifest.config.mediaType)) {
      throw new ApiError('CONFIG_NOT_FOUND', `${reference} is an artifact whose config (${manifest.config.mediaType}) is not an image config`);
    }
    const name = this.nameOf(repository, image);
    const blob = await this.upstream.blob(name, manifest.config.digest).catch((err: unknown) => {
      throw upstreamError(err, `config ${manifest.config.digest}`);
    });
    let raw: RawConfig;
    try {
      raw = JSON.parse(Buffer.from(blob).toString('utf8')) as RawConfig;
    } catch {
      throw new ApiError('CONFIG_NOT_FOUND', `the config of ${reference} is not JSON`);
    }
    const layers = manifest.layers.map(descriptorOf);
    return summarize(fetched.digest, descriptorOf(manifest.config), raw, layers);
  }

  private async fetch(repository: string, image: string, reference: string): Promise<FetchedManifest> {
    if (!parseReference(reference)) throw new ApiError('BAD_REQUEST', `${reference} is neither a tag nor a digest`);
    if (this.images) await this.images.get(repository, image);
    try {
      return await this.upstream.manifest(this.nameOf(repository, image), reference);
    } catch (err) {
      throw upstreamError(err, `manifest ${reference}`);
    }
  }
}

/** The manifest parsed, or null for one Berth cannot read (an unknown media type). */
function parsed(fetched: FetchedManifest): ParsedManifest | null {
  try {
    return parseManifest(fetched.body, fetched.mediaType || undefined);
  } catch (err) {
    if (err instanceof ManifestError) return null;
    throw err;
  }
}

function upstreamError(err: unknown, what: string): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof RegistryError && err.status === 404) {
    return new ApiError(what.startsWith('config') ? 'CONFIG_NOT_FOUND' : 'MANIFEST_NOT_FOUND', `${what} is not in the registry`);
  }
  return new ApiError('UPSTREAM_UNAVAILABLE', `the registry could not answer for ${what}`);
}

function descriptorOf(d: { digest: string; mediaType: string; size: number }): LayerDescriptor {
  return { digest: d.digest, mediaType: d.mediaType, size: d.size };
}

interface RawConfig {
  created?: unknown;
  author?: unknown;
  os?: unknown;
  architecture?: unknown;
  variant?: unknown;
  config?: {
    Entrypoint?: unknown;
    Cmd?: unknown;
    Env?: unknown;
    Labels?: unknown;
    WorkingDir?: unknown;
    User?: unknown;
    ExposedPorts?: unknown;
  } | null;
  history?: unknown;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const strings = (v: unknown): string[] | null => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : null);
const record = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** `NAME=value` → a variable; names that look secret keep only their name. */
export function envVariableOf(entry: string): EnvVariable {
  const eq = entry.indexOf('=');
  const name = eq < 0 ? entry : entry.slice(0, eq);
  const value = eq < 0 ? '' : entry.slice(eq + 1);
  return SECRET_ENV_NAME.test(name) ? { name, value: null, masked: true } : { name, value, masked: false };
}

/** Matches history steps to layers in order: each step that is not empty made the next layer. */
export function historyWithLayers(history: unknown, layers: LayerDescriptor[]): HistoryEntry[] {
  if (!Array.isArray(history)) return [];
  let next = 0;
  return history.map((h): HistoryEntry => {
    const o = record(h);
    const emptyLayer = o.empty_layer === true;
    return {
      created: str(o.created),
      createdBy: str(o.created_by),
      comment: str(o.comment),
      emptyLayer,
      layer: emptyLayer ? null : (layers[next++] ?? null),
    };
  });
}

export function summarize(manifestDigest: string, config: LayerDescriptor, raw: RawConfig, layers: LayerDescriptor[]): ImageConfigSummary {
  const c = record(raw.config);
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(record(c.Labels))) if (typeof v === 'string') labels[k] = v;
  return {
    manifestDigest,
    config,
    created: str(raw.created),
    author: str(raw.author),
    os: str(raw.os),
    architecture: str(raw.architecture),
    variant: str(raw.variant),
    entrypoint: strings(c.Entrypoint),
    cmd: strings(c.Cmd),
    workingDir: str(c.WorkingDir),
    user: str(c.User),
    exposedPorts: Object.keys(record(c.ExposedPorts)),
    env: (strings(c.Env) ?? []).map(envVariableOf),
    labels,
    history: historyWithLayers(raw.history, layers),
    layers,
  };
}
