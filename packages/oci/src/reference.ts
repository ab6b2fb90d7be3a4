import { isImageName, TAG_PATTERN } from '@berth/api';
import { isDigest } from './digest.ts';

/** What a manifest reference names: a tag, or a digest. */
export type Reference = { kind: 'tag'; tag: string } | { kind: 'digest'; digest: string };

export function parseReference(value: string): Reference | null {
  if (value.includes(':')) return isDigest(value) ? { kind: 'digest', digest: value } : null;
  return TAG_PATTERN.test(value) ? { kind: 'tag', tag: value } : null;
}

/** Splits `repository/image` into its two parts; the image part may contain `/`. */
export function splitName(name: string): { repository: string; image: string } | null {
  const slash = name.indexOf('/');
  if (slash <= 0 || !isImageName(name)) return null;
  return { repository: name.slice(0, slash), image: name.slice(slash + 1) };
}
