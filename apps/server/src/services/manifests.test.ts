import { describe, expect, it } from 'vitest';
import { RegistryError } from '@berth/oci';
import { envVariableOf, historyWithLayers, ManifestService, summarize } from './manifests.ts';

const layer = (n: number) => ({ digest: `sha256:${String(n).repeat(64)}`, mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', size: n * 100 });

describe('image config summary', () => {
  it('keeps env values but drops those whose names look secret', () => {
    expect(envVariableOf('PATH=/usr/bin:/bin')).toEqual({ name: 'PATH', value: '/usr/bin:/bin', masked: false });
    expect(envVariableOf('A=b=c')).toEqual({ name: 'A', value: 'b=c', masked: false });
    for (const name of ['DB_PASSWORD', 'API_TOKEN', 'client_secret', 'AWS_ACCESS_KEY_ID', 'GIT_CREDENTIALS', 'PassPhrase']) {
      expect(envVariableOf(`${name}=hunter2`)).toEqual({ name, value: null, masked: true });
    }
  });

  it('matches history steps to layers in order, skipping empty steps', () => {
    const history = [
      { created: '2026-01-01T00:00:00Z', created_by: 'ADD rootfs /' },
      { created_by: 'ENV A=1', empty_layer: true },
      { created_by: 'RUN make', comment: 'build' },
    ];
    const out = historyWithLayers(history, [layer(1), layer(2)]);
    expect(out.map((h) => h.layer?.size ?? null)).toEqual([100, null, 200]);
    expect(out[1]).toMatchObject({ emptyLayer: true, createdBy: 'ENV A=1', created: null });
    expect(out[2]?.comment).toBe('build');
    expect(historyWithLayers(undefined, [])).toEqual([]);
  });

  it('reads entrypoint, cmd, labels, ports and platform; tolerates missing fields', () => {
    const s = summarize('sha256:m', layer(9), {
      created: '2026-11-23T00:00:00Z',
      os: 'linux',
      architecture: 'arm64',
      variant: 'v8',
      config: { Entrypoint: ['/app'], Cmd: ['--serve'], Labels: { a: 'b', bad: 1 }, ExposedPorts: { '8080/tcp': {} }, Env: ['X=1', 'MY_KEY=2'] },
    }, [layer(1)]);
    expect(s).toMatchObject({
      os: 'linux',
      architecture: 'arm64',
      variant: 'v8',
      entrypoint: ['/app'],
      cmd: ['--serve'],
      labels: { a: 'b' },
      exposedPorts: ['8080/tcp'],
      env: [{ name: 'X', value: '1', masked: false }, { name: 'MY_KEY', value: null, masked: true }],
      history: [],
    });
    expect(summarize('sha256:m', layer(9), { config: null }, [])).toMatchObject({ entrypoint: null, cmd: null, env: [], labels: {}, os: null });
  });
});

describe('ManifestService', () => {
  const images = { get: async () => ({}) as never };
  const client = (answer: () => Promise<{ digest: string; mediaType: string; body: Uint8Array }>) =>
    ({ manifest: answer, blob: async () => new Uint8Array() }) as unknown as ConstructorParameters<typeof ManifestService>[1];
  const body = (o: unknown) => new TextEncoder().encode(JSON.stringify(o));
  const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: { code?: string }) => e.code);

  it('has no config for a Helm chart or a manifest it cannot read; the manifest itself is still served', async () => {
    const helm = body({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.cncf.helm.config.v1+json', digest: `sha256:${'a'.repeat(64)}`, size: 10 },
      layers: [],
    });
    const svc = new ManifestService(images, client(async () => ({ digest: 'sha256:h', mediaType: 'application/vnd.oci.image.manifest.v1+json', body: helm })));
    expect(await code(svc.config('r', 'chart', '1.0'))).toBe('CONFIG_NOT_FOUND');
    expect((await svc.manifest('r', 'chart', '1.0')).body).toEqual(helm);

    const odd = new ManifestService(images, client(async () => ({ digest: 'sha256:o', mediaType: '', body: body({ schemaVersion: 1 }) })));
    expect(await code(odd.config('r', 'x', '1.0'))).toBe('CONFIG_NOT_FOUND');
    expect((await odd.manifest('r', 'x', '1.0')).mediaType).toBe('application/octet-stream');
  });

  it('turns upstream answers into API codes: 404 → MANIFEST_NOT_FOUND, anything else → UPSTREAM_UNAVAILABLE', async () => {
    const missing = new ManifestService(images, client(async () => Promise.reject(new RegistryError(404, 'MANIFEST_UNKNOWN', 'no'))));
    expect(await code(missing.manifest('r', 'x', '1.0'))).toBe('MANIFEST_NOT_FOUND');
    const down = new ManifestService(images, client(async () => Promise.reject(new TypeError('fetch failed'))));
    expect(await code(down.manifest('r', 'x', '1.0'))).toBe('UPSTREAM_UNAVAILABLE');
    expect(await code(down.manifest('r', 'x', 'not a ref'))).toBe('BAD_REQUEST');
  });
});
