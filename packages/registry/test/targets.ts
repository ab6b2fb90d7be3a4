import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MANIFEST_ACCEPT, MediaType, sha256Digest } from '@berth/oci';
import { startDistribution } from '@berth/testkit';
import { startRegistry, type EmbeddedRegistry } from '../src/index.ts';

/** What a registry under test supports beyond what CNCF distribution 2.8 does. */
export interface Capabilities {
  /** Referrers API, `OCI-Subject`, tag deletion, sha512 uploads: OCI distribution v1.1. */
  v11: boolean;
}

export interface Target {
  name: 'embedded' | 'distribution';
  url: string;
  host: string;
  caps: Capabilities;
  stop(): Promise<void>;
}

export interface TargetFactory {
  name: 'embedded' | 'distribution';
  caps: Capabilities;
  start(): Promise<Target>;
}

export const targets: TargetFactory[] = [
  {
    name: 'embedded',
    caps: { v11: true },
    async start() {
      const root = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-registry-test-'));
      const r: EmbeddedRegistry = await startRegistry({ root });
      return {
        name: 'embedded',
        url: r.url,
        host: r.host,
        caps: { v11: true },
        async stop() {
          await r.close();
          fs.rmSync(root, { recursive: true, force: true });
        },
      };
    },
  },
  {
    // Distribution 2.8 predates v1.1: no referrers API, no OCI-Subject, no tag delete, no sha512 uploads.
    name: 'distribution',
    caps: { v11: false },
    async start() {
      const d = await startDistribution();
      return { name: 'distribution', url: d.url, host: d.host, caps: { v11: false }, stop: () => d.stop() };
    },
  },
];

let counter = 0;
/** A repository name no other test uses. */
export function uniqueName(prefix = 'conf'): string {
  return `${prefix}/r${process.pid}x${++counter}${randomBytes(3).toString('hex')}`;
}

export function digestOf(data: Uint8Array, algorithm: 'sha256' | 'sha512' = 'sha256'): string {
  return `${algorithm}:${createHash(algorithm).update(data).digest('hex')}`;
}

export async function errorCode(res: Response): Promise<string | undefined> {
  const body = (await res.json()) as { errors?: { code: string; message: string }[] };
  expectErrorShape(body);
  return body.errors?.[0]?.code;
}

function expectErrorShape(body: { errors?: { code: string; message: string }[] }): void {
  if (!Array.isArray(body.errors) || body.errors.length === 0 || typeof body.errors[0]!.code !== 'string') {
    throw new Error(`not an OCI error body: ${JSON.stringify(body)}`);
  }
}

/** Pushes a blob the monolithic way (POST, then PUT with the body); returns its digest. */
export async function pushBlob(t: Target, name: string, data: Uint8Array, digest = digestOf(data)): Promise<string> {
  const start = await fetch(`${t.url}/v2/${name}/blobs/uploads/`, { method: 'POST' });
  if (start.status !== 202) throw new Error(`POST upload: ${start.status}`);
  const put = await fetch(withQuery(t, start.headers.get('location')!, { digest }), {
    method: 'PUT',
    headers: { 'content-type': 'application/octet-stream' },
    body: data,
  });
  if (put.status !== 201) throw new Error(`PUT upload: ${put.status} ${await put.text()}`);
  return digest;
}

/** Resolves an upload `Location` (absolute or relative) and adds query parameters. */
export function withQuery(t: Target, location: string, params: Record<string, string>): string {
  const url = new URL(location, t.url);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.toString();
}

export interface ImageFixture {
  manifest: Buffer;
  digest: string;
  config: Buffer;
  layer: Buffer;
}

/** Pushes a config and a layer and builds (but does not put) an image manifest naming them. */
export async function imageFixture(
  t: Target,
  name: string,
  opts: { mediaType?: string; subject?: { mediaType: string; digest: string; size: number }; artifactType?: string; annotations?: Record<string, string> } = {},
): Promise<ImageFixture> {
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] }, n: randomBytes(4).toString('hex') }));
  const layer = randomBytes(2048);
  await pushBlob(t, name, config);
  await pushBlob(t, name, layer);
  const docker = opts.mediaType === MediaType.DockerManifest;
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: opts.mediaType ?? MediaType.OciManifest,
      ...(opts.artifactType ? { artifactType: opts.artifactType } : {}),
      config: { mediaType: docker ? MediaType.DockerConfig : MediaType.OciConfig, digest: sha256Digest(config), size: config.length },
      layers: [{ mediaType: docker ? 'application/vnd.docker.image.rootfs.diff.tar.gzip' : 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha256Digest(layer), size: layer.length }],
      ...(opts.subject ? { subject: opts.subject } : {}),
      ...(opts.annotations ? { annotations: opts.annotations } : {}),
    }),
  );
  return { manifest, digest: sha256Digest(manifest), config, layer };
}

export function putManifest(t: Target, name: string, reference: string, body: Uint8Array, mediaType: string = MediaType.OciManifest): Promise<Response> {
  return fetch(`${t.url}/v2/${name}/manifests/${reference}`, { method: 'PUT', headers: { 'content-type': mediaType }, body });
}

export function getManifest(t: Target, name: string, reference: string, method: 'GET' | 'HEAD' = 'GET'): Promise<Response> {
  return fetch(`${t.url}/v2/${name}/manifests/${reference}`, { method, headers: { accept: MANIFEST_ACCEPT } });
}
