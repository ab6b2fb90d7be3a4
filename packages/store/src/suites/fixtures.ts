import { afterEach, beforeEach } from 'vitest';
import type { KyselyStore } from '../kysely-store.ts';
import type { ManifestPush } from '../types.ts';

/** Fixtures shared by the store tests: a second of 2026-01-01, a digest, a manifest push. */
export const at = (n: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString();
export const digest = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;
export const push = (p: Partial<ManifestPush> & { digest: string }): ManifestPush => ({
  repository: 'team',
  image: 'app',
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  artifactType: null,
  size: 100,
  platforms: [],
  children: [],
  subject: null,
  tag: null,
  at: at(1),
  actor: 'tester',
  ...p,
});

/** Gives a fresh, migrated store of one adapter. */
export type OpenStore = () => Promise<KyselyStore>;

/** Opens a fresh store before each test of the enclosing `describe` (handed to `use`), and closes it after. */
export function openEach(open: OpenStore, use: (store: KyselyStore) => void): void {
  let store: KyselyStore | undefined;
  beforeEach(async () => {
    store = await open();
    use(store);
  });
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });
}
