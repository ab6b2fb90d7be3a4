import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OciError, sha256Digest } from '@berth/oci';
import { RegistryStorage } from './storage.ts';

/**
 * The embedded registry's storage turns names, tags, digests and upload ids into paths.
 * None of them may reach outside the storage root, nor onto the link directories of a
 * repository, whatever a caller hands in.
 */
describe('embedded storage paths', () => {
  let base: string;
  let storage: RegistryStorage;
  const outside = () => fs.readdirSync(base).sort();

  beforeAll(async () => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-storage-paths-'));
    storage = new RegistryStorage(path.join(base, 'root'));
    await storage.init();
    fs.writeFileSync(path.join(base, 'victim'), 'outside the root');
  });
  afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

  it.each(['../../victim', 'team/../../..', '/etc', 'team//app', 'team/./app', 'team/_layers', 'team\\..\\..', 'team/app\0'])(
    'refuses the repository name %j before touching the disk',
    async (name) => {
      expect(() => storage.repoDir(name)).toThrow(OciError);
      await expect(storage.tags(name)).rejects.toThrow(/invalid repository name/);
      await expect(storage.startUpload('team/app').then((id) => storage.completeUpload(name, id, sha256Digest('')))).rejects.toThrow();
      await expect(storage.putManifest(name, { kind: 'tag', tag: 't' }, Buffer.from('{}'), undefined)).rejects.toThrow();
      expect(outside()).toEqual(['root', 'victim']);
      expect(fs.readFileSync(path.join(base, 'victim'), 'utf8')).toBe('outside the root');
    },
  );

  it.each(['..', '../../victim', 'a/b', '.hidden', ''])('refuses the tag %j', async (tag) => {
    await expect(storage.deleteTag('team/app', tag)).rejects.toThrow(OciError);
    await expect(storage.resolve('team/app', { kind: 'tag', tag })).rejects.toThrow(OciError);
  });

  it('finds no upload session by an id that is a path', async () => {
    for (const id of ['../../victim', '..', `../uploads/${'0'.repeat(36)}`]) {
      expect(await storage.uploadSize('team/app', id)).toBeNull();
      await expect(storage.cancelUpload('team/app', id)).rejects.toThrow(/unknown/);
    }
    expect(fs.readFileSync(path.join(base, 'victim'), 'utf8')).toBe('outside the root');
  });

  it('refuses a digest that is not one: no algorithm or hex can carry a path', async () => {
    for (const digest of ['sha256:../../victim', `../sha256:${'a'.repeat(64)}`, `sha256:${'a'.repeat(63)}/`, `SHA256:${'a'.repeat(64)}`]) {
      await expect(storage.blob('team/app', digest)).rejects.toThrow(/invalid digest/);
    }
  });

  it('still takes the names and tags of the OCI grammar', async () => {
    expect(storage.repoDir('team/app/sub-image.v2')).toBe(path.join(base, 'root', 'repositories', 'team', 'app', 'sub-image.v2'));
    expect(await storage.tags('team/app')).toBeNull();
    await expect(storage.resolve('team/app', { kind: 'tag', tag: 'v1.0_rc-1' })).resolves.toBeNull();
  });
});
