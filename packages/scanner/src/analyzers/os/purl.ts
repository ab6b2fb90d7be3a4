// Package URLs for OS packages. An analyzer reads one database file and does not know the
// distribution (os-release is another file, maybe in another layer), so it writes a purl
// without the `distro` qualifier; `osPurl` completes it once the image's OS is known.

import { PackageURL } from 'packageurl-js';
import type { InventoryPackage, OsInfo } from '../../types.ts';

/**
 * Builds a purl. `namespace` null leaves it off (rpm, whose vendor the database does not
 * name reliably); qualifiers with an empty value are dropped.
 */
export function makePurl(
  type: 'deb' | 'apk' | 'rpm',
  namespace: string | null,
  name: string,
  version: string,
  qualifiers: Record<string, string | undefined>,
): string {
  const q: Record<string, string> = {};
  for (const [k, v] of Object.entries(qualifiers)) if (v) q[k] = v;
  return new PackageURL(type, namespace ?? undefined, name, version, Object.keys(q).length ? q : undefined, undefined).toString();
}

/**
 * The purl of an OS package once the image's OS is known: the namespace becomes the os id
 * (`pkg:deb/ubuntu/…`, `pkg:rpm/almalinux/…`) and `distro=<id>-<VERSION_ID>` is added.
 * Language packages and unparsable purls come back unchanged.
 */
export function osPurl(pkg: InventoryPackage, os: OsInfo | null): string {
  if (!os || (pkg.type !== 'dpkg' && pkg.type !== 'apk' && pkg.type !== 'rpm')) return pkg.purl;
  let parsed: PackageURL;
  try {
    parsed = PackageURL.fromString(pkg.purl);
  } catch {
    return pkg.purl;
  }
  const qualifiers: Record<string, string> = { ...(parsed.qualifiers ?? {}) };
  if (os.versionId) qualifiers['distro'] = `${os.id}-${os.versionId}`;
  return new PackageURL(parsed.type, os.id, parsed.name, parsed.version, qualifiers, parsed.subpath).toString();
}
