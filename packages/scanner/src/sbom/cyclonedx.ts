// The software bill of materials of an image: its inventory as a CycloneDX 1.6 JSON BOM,
// built with the CycloneDX library's models and normalized by its JSON serializer.

import { randomUUID } from 'node:crypto';
import { Enums, Models, Serialize, Spec, SPDX } from '@cyclonedx/cyclonedx-library';
import { PackageURL } from 'packageurl-js';
import type { Inventory, InventoryPackage, OsInfo } from '../types.ts';

/** The image a BOM describes. */
export interface SbomSubject {
  /** The repository, `team/web`. */
  name: string;
  /** The manifest (or index) digest, `sha256:…`. */
  digest: string;
  /** `linux/amd64`, when the BOM is of one platform image. */
  platform?: string;
}

/** The CycloneDX specification version Berth writes. */
export const CYCLONEDX_SPEC_VERSION = '1.6';

/**
 * A CycloneDX 1.6 BOM (as a JSON-ready object) of an image's inventory: the image as
 * `metadata.component` (type `container`), its distribution as an `operating-system`
 * component, and each package as a `library` component with its purl, version and the
 * licenses it declares (an SPDX id when the text is one, else the text as a named
 * license). A package found in several files is one component, with a `berth:path`
 * property per file. The image depends on every component (nothing finer is known).
 */
export function toCycloneDx(inventory: Inventory, subject: SbomSubject): object {
  const bom = new Models.Bom({ serialNumber: `urn:uuid:${randomUUID()}` });
  bom.metadata.timestamp = new Date();
  bom.metadata.tools.components.add(new Models.Component(Enums.ComponentType.Application, 'Berth'));
  const image = imageComponent(subject);
  bom.metadata.component = image;
  const components = [...(inventory.os ? [osComponent(inventory.os)] : []), ...packageComponents(inventory.packages)];
  for (const c of components) {
    bom.components.add(c);
    image.dependencies.add(c.bomRef);
  }
  const normalizer = new Serialize.JSON.Normalize.Factory(Spec.Spec1dot6).makeForBom();
  return normalizer.normalize(bom, { sortLists: true });
}

function imageComponent(subject: SbomSubject): Models.Component {
  const lastSegment = subject.name.split('/').pop() ?? subject.name;
  const arch = subject.platform?.split('/')[1];
  const purl = new PackageURL('oci', undefined, lastSegment.toLowerCase(), subject.digest, arch ? { arch } : undefined, undefined).toString();
  const image = new Models.Component(Enums.ComponentType.Container, subject.name, { version: subject.digest, purl, bomRef: purl });
  if (subject.platform) image.properties.add(new Models.Property('berth:platform', subject.platform));
  return image;
}

function osComponent(os: OsInfo): Models.Component {
  const c = new Models.Component(Enums.ComponentType.OperatingSystem, os.id, { bomRef: `os:${os.id}${os.versionId ? `@${os.versionId}` : ''}` });
  if (os.versionId) c.version = os.versionId;
  if (os.prettyName) c.description = os.prettyName;
  return c;
}

/** One component per purl; the files a package was read from become properties. */
function packageComponents(packages: readonly InventoryPackage[]): Models.Component[] {
  const byRef = new Map<string, Models.Component>();
  for (const pkg of packages) {
    const ref = pkg.purl || `${pkg.type}:${pkg.name}@${pkg.version}`;
    let c = byRef.get(ref);
    if (!c) {
      const { group, name } = splitName(pkg);
      c = new Models.Component(Enums.ComponentType.Library, name, { version: pkg.version, bomRef: ref });
      if (group) c.group = group;
      if (pkg.purl) c.purl = pkg.purl;
      for (const l of pkg.licenses) c.licenses.add(license(l));
      c.properties.add(new Models.Property('berth:package:type', pkg.type));
      if (pkg.source) c.properties.add(new Models.Property('berth:package:source', `${pkg.source.name} ${pkg.source.version}`));
      byRef.set(ref, c);
    }
    c.properties.add(new Models.Property('berth:path', pkg.path));
  }
  return [...byRef.values()];
}

/** CycloneDX's group/name split: Maven `groupId:artifactId`, npm `@scope/name`. */
function splitName(pkg: InventoryPackage): { group?: string; name: string } {
  if (pkg.type === 'maven') {
    const colon = pkg.name.indexOf(':');
    if (colon > 0) return { group: pkg.name.slice(0, colon), name: pkg.name.slice(colon + 1) };
  }
  if (pkg.type === 'npm' && pkg.name.startsWith('@')) {
    const slash = pkg.name.indexOf('/');
    if (slash > 0) return { group: pkg.name.slice(0, slash), name: pkg.name.slice(slash + 1) };
  }
  return { name: pkg.name };
}

function license(text: string): Models.License {
  const id = SPDX.fixupSpdxId(text.trim());
  return id ? new Models.SpdxLicense(id) : new Models.NamedLicense(text);
}
