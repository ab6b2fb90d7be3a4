import { isImageName } from '@berth/api';
import { parseReference, type Reference } from './reference.ts';

/** What a /v2 path addresses. `name` is the repository name of the OCI spec (Berth's front door: `<repository>/<image>`). */
/**
 * An image a /v2 path names: the whole `name`, its `repository` (the first component) and
 * the `image` inside it (the rest; empty for a one-component name), so nothing downstream
 * splits names by hand.
 */
export interface ImageName {
  name: string;
  repository: string;
  image: string;
}

export type V2Target =
  | { kind: 'base' }
  | { kind: 'catalog' }
  | ({ kind: 'tags' } & ImageName)
  | ({ kind: 'manifest'; reference: Reference; raw: string } & ImageName)
  | ({ kind: 'blob'; digest: string } & ImageName)
  | ({ kind: 'upload'; session: string | null } & ImageName)
  | ({ kind: 'referrers'; digest: string } & ImageName)
  | { kind: 'invalid-name'; name: string }
  | ({ kind: 'invalid-reference'; raw: string } & ImageName)
  | { kind: 'unknown' };

/** A /v2 target that names a valid image. */
export type V2ImageTarget = Extract<V2Target, ImageName>;

/** Splits `repository/image…` at its first `/`. */
export function imageName(name: string): ImageName {
  const slash = name.indexOf('/');
  return slash < 0 ? { name, repository: name, image: '' } : { name, repository: name.slice(0, slash), image: name.slice(slash + 1) };
}

const ROUTES: [RegExp, (name: ImageName, rest: string | undefined) => V2Target][] = [
  [/^(.+)\/tags\/list$/, (name) => ({ kind: 'tags', ...name })],
  [
    /^(.+)\/manifests\/([^/]+)$/,
    (name, raw = '') => {
      const reference = parseReference(raw);
      return reference ? { kind: 'manifest', ...name, reference, raw } : { kind: 'invalid-reference', ...name, raw };
    },
  ],
  [/^(.+)\/blobs\/uploads\/?$/, (name) => ({ kind: 'upload', ...name, session: null })],
  [/^(.+)\/blobs\/uploads\/([^/]+)$/, (name, s) => ({ kind: 'upload', ...name, session: s ?? null })],
  [
    /^(.+)\/blobs\/([^/]+)$/,
    (name, d = '') => (parseReference(d)?.kind === 'digest' ? { kind: 'blob', ...name, digest: d } : { kind: 'invalid-reference', ...name, raw: d }),
  ],
  [
    /^(.+)\/referrers\/([^/]+)$/,
    (name, d = '') => (parseReference(d)?.kind === 'digest' ? { kind: 'referrers', ...name, digest: d } : { kind: 'invalid-reference', ...name, raw: d }),
  ],
];

/**
 * Classifies a raw (still percent-encoded) /v2 path. A name with any encoded byte,
 * `..`, or a component outside the OCI grammar is invalid: nothing is decoded, so
 * nothing can be smuggled past the check. `minComponents` is how many `/`-separated
 * components a name needs (Berth's front door wants `<repository>/<image>`: 2).
 */
export function parseV2Path(rawPath: string, minComponents = 1): V2Target {
  if (rawPath === '/v2' || rawPath === '/v2/') return { kind: 'base' };
  if (rawPath === '/v2/_catalog') return { kind: 'catalog' };
  if (!rawPath.startsWith('/v2/')) return { kind: 'unknown' };
  const rest = rawPath.slice(4);
  for (const [re, make] of ROUTES) {
    const m = re.exec(rest);
    if (!m) continue;
    const name = m[1]!;
    if (!isImageName(name) || name.split('/').length < minComponents) return { kind: 'invalid-name', name };
    return make(imageName(name), m[2]);
  }
  return { kind: 'unknown' };
}
