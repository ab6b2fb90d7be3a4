import { createCipheriv, createHash, randomBytes as cryptoRandomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { access, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { gzipSync } from 'node:zlib';
import { buildTar, tarHeader, tarPadding, TAR_END, type TarEntry } from './tar.ts';

/** OCI media types written by this module. */
export const OCI_MEDIA_TYPES = {
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  index: 'application/vnd.oci.image.index.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  layerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  layerTar: 'application/vnd.oci.image.layer.v1.tar',
} as const;

/** The annotation that names a tag inside an OCI layout's index.json. */
export const REF_NAME_ANNOTATION = 'org.opencontainers.image.ref.name';

/**
 * One layer to write.
 * - `files`: a gzip tar (`…tar+gzip`) of these paths, built deterministically (sorted, mtime 0,
 *   parents added), held in memory: meant for small content.
 * - `randomBytes`: an uncompressed tar (`…layer.v1.tar`) holding one file `random-<seed>.bin` of
 *   that many pseudo-random bytes (AES-256-CTR keyed by the seed), streamed to disk, never held
 *   in memory: meant for benchmark blobs of 256 MiB and more. The blob is 1,536 bytes plus
 *   padding larger than `randomBytes` (tar header and end blocks); it is still a real tar, so
 *   podman can unpack it. Same seed and size → same digest; no seed → a random one.
 */
export type LayerSpec = { files: Record<string, TarEntry> } | { randomBytes: number; seed?: string };

/** Image config fields worth setting in tests. */
export interface ImageConfigSpec {
  os?: string;
  architecture?: string;
  variant?: string;
  env?: string[];
  cmd?: string[];
  entrypoint?: string[];
  labels?: Record<string, string>;
  /** Image creation time (ISO 8601); default `1970-01-01T00:00:00Z` for stable digests. */
  created?: string;
}

/** A descriptor as manifests carry it. */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  platform?: Platform;
  artifactType?: string;
}

/** Platform of an image in an index. */
export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

/** Options of {@link writeImageLayout}. */
export interface ImageLayoutOptions {
  /** Tag (the `ref.name` annotation): `oci:DIR:TAG` names the image. */
  tag: string;
  layers: LayerSpec[];
  /** Config; default linux/amd64. */
  config?: ImageConfigSpec;
  /** Manifest annotations. */
  annotations?: Record<string, string>;
}

/** A layer as written. */
export interface WrittenLayer extends Descriptor {
  /** sha256 of the uncompressed tar (the config's `rootfs.diff_ids` entry). */
  diffId: string;
}

/** What {@link writeImageLayout} wrote. */
export interface ImageLayout {
  tag: string;
  manifestDigest: string;
  manifestSize: number;
  /** The manifest exactly as stored (its sha256 is `manifestDigest`). */
  manifestJson: string;
  configDigest: string;
  configSize: number;
  layerDigests: string[];
  layers: WrittenLayer[];
  platform: Platform;
  /** Bytes of manifest + config + layers as stored (layers compressed where gzip). */
  totalSize: number;
}

/** One platform of {@link writeIndexLayout}. */
export interface PlatformSpec extends Omit<ImageConfigSpec, 'os' | 'architecture' | 'variant'>, Platform {
  layers: LayerSpec[];
}

/** Options of {@link writeIndexLayout}. */
export interface IndexLayoutOptions {
  tag: string;
  platforms: PlatformSpec[];
  /** Index annotations. */
  annotations?: Record<string, string>;
}

/** What {@link writeIndexLayout} wrote. */
export interface IndexLayout {
  tag: string;
  indexDigest: string;
  indexSize: number;
  /** The index exactly as stored. */
  indexJson: string;
  /** Child manifests, in the order of `platforms`. */
  children: ImageLayout[];
  /** Bytes of the index plus every distinct blob its children reference. */
  totalSize: number;
}

const sha256 = (data: Uint8Array | string): string => `sha256:${createHash('sha256').update(data).digest('hex')}`;

function blobPath(dir: string, digest: string): string {
  const [algorithm, hex] = digest.split(':') as [string, string];
  return join(dir, 'blobs', algorithm, hex);
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

async function ensureLayout(dir: string): Promise<void> {
  await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true });
  await writeFile(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
}

/** Stores bytes as a blob of the layout (no-op when present) and returns its digest. */
export async function writeBlob(dir: string, data: Uint8Array | string): Promise<string> {
  const digest = sha256(data);
  const path = blobPath(dir, digest);
  if (!(await exists(path))) {
    await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    await writeFile(tmp, data);
    await rename(tmp, path);
  }
  return digest;
}

/** Reads a blob of a layout by digest. */
export function readBlob(dir: string, digest: string): Promise<Buffer> {
  return readFile(blobPath(dir, digest));
}

/**
 * An endless deterministic pseudo-random byte stream (AES-256-CTR keystream keyed by
 * sha256(seed)), `total` bytes long, in 1 MiB chunks.
 */
export function pseudoRandomStream(total: number, seed: string): Readable {
  const key = createHash('sha256').update(seed).digest();
  const cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  const CHUNK = 1024 * 1024;
  const zeros = Buffer.alloc(CHUNK);
  let left = total;
  return new Readable({
    read() {
      if (left <= 0) {
        this.push(null);
        return;
      }
      const n = Math.min(CHUNK, left);
      left -= n;
      this.push(cipher.update(n === CHUNK ? zeros : zeros.subarray(0, n)));
    },
  });
}

async function writeRandomLayer(dir: string, size: number, seed: string): Promise<WrittenLayer> {
  const fileName = `random-${createHash('sha256').update(seed).digest('hex').slice(0, 16)}.bin`;
  const header = tarHeader(fileName, 'file', size, 0o644);
  const tail = Buffer.concat([tarPadding(size), TAR_END]);
  const hash = createHash('sha256');
  let written = 0;
  const tmp = join(dir, 'blobs', 'sha256', `.random-${process.pid}-${cryptoRandomBytes(6).toString('hex')}.tmp`);
  async function* body(): AsyncGenerator<Buffer> {
    yield header;
    for await (const chunk of pseudoRandomStream(size, seed)) yield chunk as Buffer;
    yield tail;
  }
  const hasher = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      written += chunk.length;
      done(null, chunk);
    },
  });
  try {
    await pipeline(Readable.from(body()), hasher, createWriteStream(tmp));
    const digest = `sha256:${hash.digest('hex')}`;
    await rename(tmp, blobPath(dir, digest));
    return { mediaType: OCI_MEDIA_TYPES.layerTar, digest, size: written, diffId: digest };
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

async function writeLayer(dir: string, spec: LayerSpec): Promise<WrittenLayer> {
  if ('randomBytes' in spec) {
    return writeRandomLayer(dir, spec.randomBytes, spec.seed ?? cryptoRandomBytes(16).toString('hex'));
  }
  const tar = buildTar(spec.files);
  const gz = gzipSync(tar, { level: 6 });
  const digest = await writeBlob(dir, gz);
  return { mediaType: OCI_MEDIA_TYPES.layerGzip, digest, size: gz.length, diffId: sha256(tar) };
}

async function writeImage(dir: string, tag: string, layers: LayerSpec[], config: ImageConfigSpec, annotations?: Record<string, string>): Promise<ImageLayout> {
  const written: WrittenLayer[] = [];
  for (const spec of layers) written.push(await writeLayer(dir, spec));
  const platform: Platform = {
    os: config.os ?? 'linux',
    architecture: config.architecture ?? 'amd64',
    ...(config.variant ? { variant: config.variant } : {}),
  };
  const imageConfig = {
    created: config.created ?? '1970-01-01T00:00:00Z',
    architecture: platform.architecture,
    os: platform.os,
    ...(platform.variant ? { variant: platform.variant } : {}),
    config: {
      ...(config.env ? { Env: config.env } : {}),
      ...(config.entrypoint ? { Entrypoint: config.entrypoint } : {}),
      ...(config.cmd ? { Cmd: config.cmd } : {}),
      ...(config.labels ? { Labels: config.labels } : {}),
    },
    rootfs: { type: 'layers', diff_ids: written.map((l) => l.diffId) },
    history: written.map(() => ({ created: config.created ?? '1970-01-01T00:00:00Z', created_by: 'berth testkit' })),
  };
  const configJson = JSON.stringify(imageConfig);
  const configDigest = await writeBlob(dir, configJson);
  const configSize = Buffer.byteLength(configJson);
  const manifest = {
    schemaVersion: 2,
    mediaType: OCI_MEDIA_TYPES.manifest,
    config: { mediaType: OCI_MEDIA_TYPES.config, digest: configDigest, size: configSize },
    layers: written.map(({ mediaType, digest, size }) => ({ mediaType, digest, size })),
    ...(annotations ? { annotations } : {}),
  };
  const manifestJson = JSON.stringify(manifest);
  const manifestDigest = await writeBlob(dir, manifestJson);
  const manifestSize = Buffer.byteLength(manifestJson);
  return {
    tag,
    manifestDigest,
    manifestSize,
    manifestJson,
    configDigest,
    configSize,
    layerDigests: written.map((l) => l.digest),
    layers: written,
    platform,
    totalSize: manifestSize + configSize + written.reduce((sum, l) => sum + l.size, 0),
  };
}

/** Adds or replaces the index.json entry named `tag`; other tags in the layout are kept. */
async function setRef(dir: string, tag: string, descriptor: Descriptor): Promise<void> {
  const indexPath = join(dir, 'index.json');
  let manifests: Descriptor[] = [];
  if (await exists(indexPath)) {
    const current = JSON.parse(await readFile(indexPath, 'utf8')) as { manifests?: Descriptor[] };
    manifests = (current.manifests ?? []).filter((d) => d.annotations?.[REF_NAME_ANNOTATION] !== tag);
  }
  manifests.push({ ...descriptor, annotations: { ...descriptor.annotations, [REF_NAME_ANNOTATION]: tag } });
  await writeFile(indexPath, JSON.stringify({ schemaVersion: 2, mediaType: OCI_MEDIA_TYPES.index, manifests }, null, 2));
}

/**
 * Writes a single-platform OCI image into an OCI image layout directory (created if
 * needed; other tags already in it are kept), with no Docker engine. The result can be
 * pushed with `skopeo copy oci:DIR:TAG docker://…`. Digests are deterministic for the
 * same input, except random layers without a seed.
 */
export async function writeImageLayout(dir: string, opts: ImageLayoutOptions): Promise<ImageLayout> {
  await ensureLayout(dir);
  const image = await writeImage(dir, opts.tag, opts.layers, opts.config ?? {}, opts.annotations);
  await setRef(dir, opts.tag, { mediaType: OCI_MEDIA_TYPES.manifest, digest: image.manifestDigest, size: image.manifestSize });
  return image;
}

/**
 * Writes a multi-platform OCI image index (one child manifest per platform) into an OCI
 * image layout directory, tagged `tag`. Push it with `skopeo copy --all oci:DIR:TAG …`.
 */
export async function writeIndexLayout(dir: string, opts: IndexLayoutOptions): Promise<IndexLayout> {
  await ensureLayout(dir);
  const children: ImageLayout[] = [];
  for (const { layers, ...config } of opts.platforms) {
    children.push(await writeImage(dir, opts.tag, layers, config));
  }
  const index = {
    schemaVersion: 2,
    mediaType: OCI_MEDIA_TYPES.index,
    manifests: children.map((c) => ({ mediaType: OCI_MEDIA_TYPES.manifest, digest: c.manifestDigest, size: c.manifestSize, platform: c.platform })),
    ...(opts.annotations ? { annotations: opts.annotations } : {}),
  };
  const indexJson = JSON.stringify(index);
  const indexDigest = await writeBlob(dir, indexJson);
  const indexSize = Buffer.byteLength(indexJson);
  await setRef(dir, opts.tag, { mediaType: OCI_MEDIA_TYPES.index, digest: indexDigest, size: indexSize });
  const blobs = new Map<string, number>();
  for (const c of children) {
    blobs.set(c.manifestDigest, c.manifestSize);
    blobs.set(c.configDigest, c.configSize);
    for (const l of c.layers) blobs.set(l.digest, l.size);
  }
  let totalSize = indexSize;
  for (const size of blobs.values()) totalSize += size;
  return { tag: opts.tag, indexDigest, indexSize, indexJson, children, totalSize };
}
