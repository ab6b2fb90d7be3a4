const seg = (value: string) => encodeURIComponent(value);

/** The scan result tabs, in order; the tab is in `?tab=`, Vulnerabilities by default. */
export const SCAN_TABS = ['vulnerabilities', 'secrets'] as const;
export type ScanTab = (typeof SCAN_TABS)[number];

/**
 * The page of an artifact's scan results: `/repositories/{repository}/scans/{digest}/{image…}`.
 * The image name comes last because it may contain `/` (as on the image page); the digest
 * keeps its `:` readable.
 */
export function scanPath(repository: string, image: string, digest: string, tab?: ScanTab): string {
  const name = image.split('/').map(seg).join('/');
  const path = `/repositories/${seg(repository)}/scans/${seg(digest).replace(/%3A/gi, ':')}/${name}`;
  return tab && tab !== 'vulnerabilities' ? `${path}?tab=${tab}` : path;
}
