// Stacks walked layers, lowest first, into the image's filesystem view, and reads the
// inventory out of it.
import type { FileFindings, Inventory, OsInfo, ScanNote } from '../types.ts';
import { isAtOrUnder } from './paths.ts';
import type { LayerWalk } from './walk.ts';

/** One file of the merged view: the layer it comes from and what each analyzer found in it. */
export interface MergedFile {
  layer: string;
  findings: Map<string, FileFindings>;
}

/**
 * Applies `layers` in order, lowest first: each layer's whiteouts and opaque directories
 * remove what lower layers had there, each of its entries hides a lower layer's file at
 * the same path (its findings are replaced as a whole, not combined), then its own files
 * are added.
 */
export function mergeLayers(layers: readonly LayerWalk[]): Map<string, MergedFile> {
  const view = new Map<string, MergedFile>();
  for (const layer of layers) {
    const removed = [...layer.opaqueDirs, ...layer.whiteouts];
    if (removed.length > 0 || layer.entries.size > 0) {
      for (const path of view.keys()) {
        if (layer.entries.has(path) || removed.some((root) => isAtOrUnder(path, root))) view.delete(path);
      }
    }
    for (const [path, findings] of layer.files) view.set(path, { layer: layer.digest, findings });
  }
  return view;
}

/** Where the distribution is read from, best first (os-release(5): `etc/` overrides `usr/lib/`). */
const OS_RELEASE_PATHS = ['etc/os-release', 'usr/lib/os-release'];

/**
 * The inventory of a merged view: the OS from `etc/os-release`, else `usr/lib/os-release`,
 * else any other file an analyzer read an OS from; packages, secrets and notes of every
 * file, sorted by path (stable: a file's own order stays), then the layers' own notes.
 */
export function buildInventory(view: Map<string, MergedFile>, layerNotes: readonly ScanNote[] = []): Inventory {
  const inventory: Inventory = { os: null, packages: [], secrets: [], notes: [] };
  let osRank = Infinity;
  const paths = [...view.keys()].sort(byPath);
  for (const path of paths) {
    for (const f of view.get(path)!.findings.values()) {
      if (f.os) {
        const rank = OS_RELEASE_PATHS.indexOf(path);
        const r = rank < 0 ? OS_RELEASE_PATHS.length : rank;
        if (r < osRank) [osRank, inventory.os] = [r, f.os satisfies OsInfo];
      }
      if (f.packages) inventory.packages.push(...f.packages);
      if (f.secrets) inventory.secrets.push(...f.secrets);
      if (f.notes) inventory.notes.push(...f.notes);
    }
  }
  inventory.packages.sort((a, b) => byPath(a.path, b.path));
  inventory.secrets.sort((a, b) => byPath(a.path, b.path) || a.line - b.line);
  inventory.notes.push(...layerNotes);
  inventory.notes.sort((a, b) => byPath(a.path, b.path));
  return inventory;
}

/** Code-unit order: the same on every machine, unlike `localeCompare`. */
function byPath(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
