import { createRequire } from 'node:module';
import { PackageURL } from 'packageurl-js';
import { describe, expect, it } from 'vitest';
import type { Inventory, InventoryPackage } from '../types.ts';
import { toCycloneDx } from './cyclonedx.ts';

function pkg(p: Omit<InventoryPackage, 'layer'> & { layer?: string }): InventoryPackage {
  return { layer: 'sha256:1111', ...p };
}

const inventory: Inventory = {
  os: { id: 'debian', versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)', ecosystem: 'Debian:12' },
  packages: [
    pkg({ type: 'dpkg', name: 'libssl3', version: '3.0.11-1~deb12u2', source: { name: 'openssl', version: '3.0.11-1~deb12u2' }, path: 'var/lib/dpkg/status', purl: 'pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12&upstream=openssl', licenses: ['Apache-2.0'] }),
    pkg({ type: 'npm', name: '@babel/core', version: '7.23.2', path: 'app/node_modules/@babel/core/package.json', purl: 'pkg:npm/%40babel/core@7.23.2', licenses: ['MIT'] }),
    pkg({ type: 'npm', name: '@babel/core', version: '7.23.2', path: 'app/packages/web/node_modules/@babel/core/package.json', purl: 'pkg:npm/%40babel/core@7.23.2', licenses: ['MIT'] }),
    pkg({ type: 'pypi', name: 'requests', version: '2.31.0', path: 'usr/lib/python3/dist-packages/requests-2.31.0.dist-info/METADATA', purl: 'pkg:pypi/requests@2.31.0', licenses: ['Apache 2.0 or later, see LICENSE'] }),
    pkg({ type: 'go', name: 'golang.org/x/net', version: 'v0.17.0', path: 'usr/local/bin/app', purl: 'pkg:golang/golang.org/x/net@v0.17.0', licenses: [] }),
    pkg({ type: 'maven', name: 'org.apache.logging.log4j:log4j-core', version: '2.17.1', path: 'opt/app/app.jar', purl: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.17.1', licenses: ['Apache-2.0'] }),
  ],
  secrets: [],
  notes: [],
};
const subject = { name: 'team/web', digest: 'sha256:7d2c8c7a37d4a3e1b2f2dbe5b7e6c5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8', platform: 'linux/amd64' };

interface BomComponent {
  type: string;
  name: string;
  group?: string;
  version?: string;
  purl?: string;
  'bom-ref'?: string;
  licenses?: ({ license: { id?: string; name?: string } } | { expression: string })[];
  properties?: { name: string; value: string }[];
}
interface BomJson {
  bomFormat: string;
  specVersion: string;
  serialNumber: string;
  metadata: { timestamp: string; component: BomComponent };
  components: BomComponent[];
}

/**
 * Validates against CycloneDX's own 1.6 JSON schema (shipped in the library). The library's
 * validator wants ajv 8, which is not installed; ajv 6 (eslint's, at the root) reads the
 * draft-07 schema just as well. Formats it does not know are not checked.
 */
function schemaErrors(bom: unknown): unknown[] | null {
  const require = createRequire(import.meta.url);
  const Ajv = require('ajv') as new (opts: object) => { addSchema(s: object, key?: string): void; validate(ref: string, data: unknown): boolean; errors?: unknown[] };
  const res = `${require.resolve('@cyclonedx/cyclonedx-library/package.json').replace(/package\.json$/, '')}res/schema/`;
  const ajv = new Ajv({ schemaId: 'auto', unknownFormats: 'ignore', allErrors: true, logger: false });
  // The bom schema refers to these by name, relative to its own $id.
  for (const name of ['spdx.SNAPSHOT.schema.json', 'jsf-0.82.SNAPSHOT.schema.json']) ajv.addSchema(require(`${res}${name}`), `http://cyclonedx.org/schema/${name}`);
  ajv.addSchema(require(`${res}bom-1.6.SNAPSHOT.schema.json`), 'bom');
  return ajv.validate('bom', bom) ? null : (ajv.errors ?? ['invalid']);
}

describe('the CycloneDX SBOM of an image', () => {
  const bom = toCycloneDx(inventory, subject) as BomJson;

  it('is a CycloneDX 1.6 BOM that validates against the specification’s JSON schema', () => {
    expect(bom).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.6' });
    expect(bom.serialNumber).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    expect(schemaErrors(JSON.parse(JSON.stringify(bom)))).toBeNull();
  });

  it('the schema check catches a broken BOM', () => {
    expect(schemaErrors({ ...bom, components: [{ type: 'gadget', name: 'x' }] })).not.toBeNull();
  });

  it('describes the image as a container component, and the OS as an operating-system component', () => {
    expect(bom.metadata.component).toMatchObject({ type: 'container', name: 'team/web', version: subject.digest });
    expect(PackageURL.fromString(bom.metadata.component.purl!)).toMatchObject({ type: 'oci', name: 'web', version: subject.digest, qualifiers: { arch: 'amd64' } });
    const image = (bom as unknown as { dependencies: { ref: string; dependsOn?: string[] }[] }).dependencies.find((d) => d.ref === bom.metadata.component['bom-ref'])!;
    expect(image.dependsOn!.sort()).toEqual(bom.components.map((c) => c['bom-ref']).sort());
    expect(bom.components.filter((c) => c.type === 'operating-system')).toEqual([expect.objectContaining({ name: 'debian', version: '12', description: 'Debian GNU/Linux 12 (bookworm)' })]);
  });

  it('lists each package once as a library with its purl, version and licenses', () => {
    const libs = bom.components.filter((c) => c.type === 'library');
    expect(libs.map((c) => c.purl).sort()).toEqual([...new Set(inventory.packages.map((p) => p.purl))].sort());
    for (const c of libs) {
      const purl = PackageURL.fromString(c.purl!);
      expect(purl.toString()).toBe(c.purl);
      expect(purl.version).toBe(c.version);
    }
    const babel = libs.find((c) => c.purl === 'pkg:npm/%40babel/core@7.23.2')!;
    expect(babel).toMatchObject({ group: '@babel', name: 'core', licenses: [{ license: { id: 'MIT' } }] });
    expect(babel.properties!.filter((p) => p.name === 'berth:path').map((p) => p.value).sort()).toEqual([
      'app/node_modules/@babel/core/package.json',
      'app/packages/web/node_modules/@babel/core/package.json',
    ]);
    expect(libs.find((c) => c.name === 'log4j-core')).toMatchObject({ group: 'org.apache.logging.log4j', version: '2.17.1' });
    expect(libs.find((c) => c.name === 'requests')!.licenses).toEqual([{ license: { name: 'Apache 2.0 or later, see LICENSE' } }]);
    expect(libs.find((c) => c.name === 'golang.org/x/net')!.licenses ?? []).toEqual([]);
  });

  it('has no operating-system component when the OS is unknown', () => {
    const bare = toCycloneDx({ ...inventory, os: null }, { name: 'team/web', digest: subject.digest }) as BomJson;
    expect(bare.components.some((c) => c.type === 'operating-system')).toBe(false);
    expect(schemaErrors(JSON.parse(JSON.stringify(bare)))).toBeNull();
  });
});
