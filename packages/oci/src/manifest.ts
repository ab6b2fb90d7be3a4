import type { Platform } from '@berth/api';
import { baseMediaType, IMAGE_MANIFEST_MEDIA_TYPES, INDEX_MEDIA_TYPES } from './media-types.ts';
import { isDigest } from './digest.ts';

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  platform?: Platform;
  annotations?: Record<string, string>;
}

/** A platform as the API describes it (os, architecture, variant, os.version). */
export type { Platform } from '@berth/api';

export type ParsedManifest =
  | {
      kind: 'image';
      mediaType: string;
      artifactType: string | null;
      config: Descriptor;
      layers: Descriptor[];
      subject: Descriptor | null;
      /** The manifest's own annotations, or null for none. */
      annotations: Record<string, string> | null;
    }
  | {
      kind: 'index';
      mediaType: string;
      artifactType: string | null;
      manifests: Descriptor[];
      subject: Descriptor | null;
      /** The manifest's own annotations, or null for none. */
      annotations: Record<string, string> | null;
    };

/** Raised for a manifest body that cannot be stored: Berth maps it to MANIFEST_INVALID. */
export class ManifestError extends Error {}

function asObject(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ManifestError(`${what} must be an object`);
  }
  return value as Record<string, unknown>;
}

function descriptor(value: unknown, what: string): Descriptor {
  const o = asObject(value, what);
  const { mediaType, digest, size } = o;
  if (typeof mediaType !== 'string' || mediaType === '') throw new ManifestError(`${what}.mediaType is required`);
  if (typeof digest !== 'string' || !isDigest(digest)) throw new ManifestError(`${what}.digest is not a valid digest`);
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
    throw new ManifestError(`${what}.size must be a non-negative integer`);
  }
  const out: Descriptor = { mediaType, digest, size };
  if (typeof o.artifactType === 'string') out.artifactType = o.artifactType;
  if (o.platform !== undefined) out.platform = platform(o.platform, `${what}.platform`);
  if (o.annotations !== undefined) out.annotations = o.annotations as Record<string, string>;
  return out;
}

/** Annotations: an object of strings (the OCI image spec's rule; distribution refuses anything else too). */
function stringMap(value: unknown, what: string): Record<string, string> {
  const o = asObject(value, what);
  for (const [k, v] of Object.entries(o)) if (typeof v !== 'string') throw new ManifestError(`${what}.${k} must be a string`);
  return o as Record<string, string>;
}

function platform(value: unknown, what: string): Platform {
  const o = asObject(value, what);
  if (typeof o.os !== 'string' || typeof o.architecture !== 'string') {
    throw new ManifestError(`${what} needs os and architecture`);
  }
  const p: Platform = { os: o.os, architecture: o.architecture };
  if (typeof o.variant === 'string' && o.variant) p.variant = o.variant;
  if (typeof o['os.version'] === 'string' && o['os.version']) p.osVersion = o['os.version'] as string;
  return p;
}

/**
 * Parses and checks an image manifest or index. `contentType` is the request's
 * Content-Type; the body's own `mediaType`, when present, must agree with it.
 */
export function parseManifest(body: Uint8Array, contentType: string | undefined): ParsedManifest {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(body).toString('utf8'));
  } catch {
    throw new ManifestError('manifest is not valid JSON');
  }
  const o = asObject(json, 'manifest');
  if (o.schemaVersion !== 2) throw new ManifestError('schemaVersion must be 2');
  const declared = typeof o.mediaType === 'string' ? o.mediaType : undefined;
  const header = contentType ? baseMediaType(contentType) : undefined;
  if (declared && header && declared !== header) {
    throw new ManifestError(`mediaType ${declared} does not match Content-Type ${header}`);
  }
  let mediaType = declared ?? header;
  if (!mediaType) mediaType = Array.isArray(o.manifests) ? INDEX_MEDIA_TYPES[0]! : IMAGE_MANIFEST_MEDIA_TYPES[0]!;
  const artifactType = typeof o.artifactType === 'string' ? o.artifactType : null;
  const subject = o.subject === undefined ? null : descriptor(o.subject, 'subject');
  const annotations = o.annotations === undefined || o.annotations === null ? null : stringMap(o.annotations, 'annotations');

  if (INDEX_MEDIA_TYPES.includes(mediaType)) {
    if (!Array.isArray(o.manifests)) throw new ManifestError('an index needs a manifests array');
    const manifests = o.manifests.map((m, i) => descriptor(m, `manifests[${i}]`));
    return { kind: 'index', mediaType, artifactType, manifests, subject, annotations };
  }
  if (IMAGE_MANIFEST_MEDIA_TYPES.includes(mediaType)) {
    const config = descriptor(o.config, 'config');
    if (!Array.isArray(o.layers)) throw new ManifestError('an image manifest needs a layers array');
    const layers = o.layers.map((l, i) => descriptor(l, `layers[${i}]`));
    return { kind: 'image', mediaType, artifactType: artifactType ?? null, config, layers, subject, annotations };
  }
  throw new ManifestError(`unsupported manifest media type ${mediaType}`);
}

/** Bytes an image manifest accounts for: itself, its config and its layers. */
export function imageManifestSize(manifestBytes: number, m: Extract<ParsedManifest, { kind: 'image' }>): number {
  return manifestBytes + m.config.size + m.layers.reduce((sum, l) => sum + l.size, 0);
}

/** Reads os/architecture/variant from an image config blob; null when absent. */
export function platformFromConfig(configBody: Uint8Array): Platform | null {
  try {
    const c = JSON.parse(Buffer.from(configBody).toString('utf8')) as Record<string, unknown>;
    if (typeof c.os !== 'string' || typeof c.architecture !== 'string') return null;
    const p: Platform = { os: c.os, architecture: c.architecture };
    if (typeof c.variant === 'string' && c.variant) p.variant = c.variant;
    return p;
  } catch {
    return null;
  }
}
