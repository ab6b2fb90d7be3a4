// Files the secret scan does not read: package data the image's builder did not write
// (installed language packages and toolchains carry test keys and example tokens by the
// hundred), documentation, and formats that hold no text.

/** Path prefixes (from the image root) that only carry distribution or toolchain data. */
export const SKIP_PREFIXES = [
  'usr/share/doc/',
  'usr/share/man/',
  'usr/share/info/',
  'usr/share/locale/',
  'usr/share/zoneinfo/',
  'usr/share/i18n/',
  'usr/include/',
  'usr/local/go/',
  'usr/lib/go-',
  'usr/lib/python3',
  'usr/local/lib/python3',
] as const;

/** Directory names anywhere in a path whose contents are installed packages. */
export const SKIP_DIRECTORIES = ['/node_modules/', '/site-packages/', '/dist-packages/'] as const;

/** File name endings of binary or compressed formats. */
export const SKIP_SUFFIXES = [
  '.png', '.jpg', '.jpeg', '.gif', '.ico', '.webp', '.woff', '.woff2', '.ttf', '.otf',
  '.gz', '.tgz', '.xz', '.bz2', '.zst', '.zip', '.jar', '.war', '.whl',
  '.so', '.a', '.o', '.pyc', '.class', '.mo', '.wasm',
] as const;

/** True when the secret scan skips `path` by the lists above. */
export function isSkippedForSecrets(path: string): boolean {
  if (SKIP_PREFIXES.some((p) => path.startsWith(p))) return true;
  if (SKIP_SUFFIXES.some((s) => path.endsWith(s))) return true;
  const rooted = '/' + path;
  return SKIP_DIRECTORIES.some((d) => rooted.includes(d));
}
