// Tar entry names as image layers write them (`./usr/bin/x`, `/etc/passwd`, `a//b/`), made
// into the image-root-relative paths the rest of the scanner uses, and the whiteout markers
// of the OCI image spec (layer.md, "Whiteouts").

/** Marks an opaque directory: `dir/.wh..wh..opq`. */
export const OPAQUE_MARKER = '.wh..wh..opq';
/** Prefix of a whiteout file: `dir/.wh.name` deletes `dir/name`. */
export const WHITEOUT_PREFIX = '.wh.';

/**
 * The image-root-relative form of a tar entry name: no leading `/` or `./`, no empty or `.`
 * segments, no trailing `/`; `''` is the root itself. Null when a `..` segment would climb
 * out of the root (such entries are never read). A `..` that stays inside (`a/../b`) is
 * resolved.
 */
export function normalizeEntryPath(name: string): string | null {
  const out: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length === 0) return null;
      out.pop();
      continue;
    }
    out.push(part);
  }
  return out.join('/');
}

/** What a whiteout entry (already normalized) says, or null when the entry is an ordinary one. */
export function whiteoutOf(path: string): { opaque: string } | { deleted: string } | null {
  const slash = path.lastIndexOf('/');
  const dir = slash < 0 ? '' : path.slice(0, slash);
  const base = path.slice(slash + 1);
  if (base === OPAQUE_MARKER) return { opaque: dir };
  if (base.startsWith(WHITEOUT_PREFIX) && base.length > WHITEOUT_PREFIX.length) {
    const name = base.slice(WHITEOUT_PREFIX.length);
    return { deleted: dir ? `${dir}/${name}` : name };
  }
  return null;
}

/** Whether `path` is `root` or lies under it (`root` `''` holds everything). */
export function isAtOrUnder(path: string, root: string): boolean {
  return root === '' || path === root || path.startsWith(`${root}/`);
}
