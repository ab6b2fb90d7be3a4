// Debian package versions: `[epoch:]upstream[-revision]`, ordered as dpkg orders them
// (deb-version(7)). Written here rather than taken from `deb-version-compare`, which
// disagrees with `dpkg --compare-versions` on some inputs (see dpkg.test.ts).

interface DpkgVersion {
  epoch: string;
  upstream: string;
  revision: string;
}

function parse(v: string): DpkgVersion {
  const s = v.trim();
  const colon = s.indexOf(':');
  const epochPart = colon >= 0 ? s.slice(0, colon) : '';
  const epoch = /^\d+$/.test(epochPart) ? epochPart : '0';
  const rest = colon >= 0 ? s.slice(colon + 1) : s;
  const dash = rest.lastIndexOf('-');
  return dash >= 0
    ? { epoch, upstream: rest.slice(0, dash), revision: rest.slice(dash + 1) }
    : { epoch, upstream: rest, revision: '' };
}

/** The weight dpkg gives a character of a non-digit run: `~` lowest, then end of string, letters, then the rest. */
function weight(c: string | undefined): number {
  if (c === undefined) return 0;
  if (c === '~') return -1;
  if (/[0-9]/.test(c)) return 0;
  if (/[A-Za-z]/.test(c)) return c.charCodeAt(0);
  return c.charCodeAt(0) + 256;
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** Compares two digit strings as numbers of any length. */
function compareDigits(a: string, b: string): number {
  const x = a.replace(/^0+/, '');
  const y = b.replace(/^0+/, '');
  if (x.length !== y.length) return x.length - y.length;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** dpkg's comparison of one part (upstream or revision): alternating non-digit and digit runs. */
function comparePart(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while ((i < a.length && !isDigit(a[i])) || (j < b.length && !isDigit(b[j]))) {
      const d = weight(a[i]) - weight(b[j]);
      if (d !== 0) return Math.sign(d);
      i++;
      j++;
    }
    const si = i;
    const sj = j;
    while (isDigit(a[i])) i++;
    while (isDigit(b[j])) j++;
    const d = compareDigits(a.slice(si, i), b.slice(sj, j));
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/**
 * Orders two Debian versions exactly as `dpkg --compare-versions` does: epoch numerically,
 * then upstream, then revision (a missing revision is empty, which equals `0`). A malformed
 * version (no leading digit, stray characters) is still ordered by the same character
 * rules, as dpkg itself does after warning; a non-numeric epoch counts as 0.
 */
export function compareDpkg(a: string, b: string): number {
  const x = parse(a);
  const y = parse(b);
  return compareDigits(x.epoch, y.epoch) || comparePart(x.upstream, y.upstream) || comparePart(x.revision, y.revision);
}

/** Whether `v` is a well-formed Debian version (deb-version(7)). */
export function isValidDpkg(v: string): boolean {
  if (v !== v.trim()) return false;
  const colon = v.indexOf(':');
  if (colon >= 0 && !/^\d+$/.test(v.slice(0, colon))) return false;
  const { upstream, revision } = parse(v);
  const hasRevision = v.slice(colon + 1).includes('-');
  return /^[0-9][A-Za-z0-9.+~:-]*$/.test(upstream) && (hasRevision ? /^[A-Za-z0-9.+~]+$/.test(revision) : true);
}
