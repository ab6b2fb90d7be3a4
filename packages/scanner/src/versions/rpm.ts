// RPM versions: `[epoch:]version[-release]`, each part ordered by rpmvercmp (rpm 4.x).

/** The parts of an EVR string; a missing epoch is 0, a missing release null. */
function parseEvr(v: string): { epoch: string; version: string; release: string | null } {
  const s = v.trim();
  const m = /^(\d+):(.*)$/.exec(s);
  const epoch = m ? m[1]! : '0';
  const rest = m ? m[2]! : s;
  const dash = rest.lastIndexOf('-');
  return dash >= 0 ? { epoch, version: rest.slice(0, dash), release: rest.slice(dash + 1) } : { epoch, version: rest, release: null };
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isAlpha = (c: string | undefined): boolean => c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
const isSeparator = (c: string | undefined): boolean => c !== undefined && !isDigit(c) && !isAlpha(c) && c !== '~' && c !== '^';

function compareNumbers(a: string, b: string): number {
  const x = a.replace(/^0+/, '');
  const y = b.replace(/^0+/, '');
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * rpmvercmp: alternating runs of digits and letters, other characters only separate them;
 * `~` sorts before anything (even the end), `^` after the end but before anything else; a
 * number beats letters; numbers compare by value, letters by byte.
 */
export function rpmvercmp(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  for (;;) {
    while (isSeparator(a[i])) i++;
    while (isSeparator(b[j])) j++;
    const ca = a[i];
    const cb = b[j];
    if (ca === '~' || cb === '~') {
      if (ca !== '~') return 1;
      if (cb !== '~') return -1;
      i++;
      j++;
      continue;
    }
    if (ca === '^' || cb === '^') {
      if (ca === undefined) return -1;
      if (cb === undefined) return 1;
      if (ca !== '^') return 1;
      if (cb !== '^') return -1;
      i++;
      j++;
      continue;
    }
    if (ca === undefined || cb === undefined) break;
    const numeric = isDigit(ca);
    const same = numeric ? isDigit : isAlpha;
    const si = i;
    const sj = j;
    while (same(a[i])) i++;
    while (same(b[j])) j++;
    // A run of the other kind in b: a number is newer than letters.
    if (j === sj) return numeric ? 1 : -1;
    const x = a.slice(si, i);
    const y = b.slice(sj, j);
    const d = numeric ? compareNumbers(x, y) : x < y ? -1 : x > y ? 1 : 0;
    if (d !== 0) return d;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i >= a.length ? -1 : 1;
}

/**
 * Orders two RPM versions as rpm does: epoch (missing = 0), then version, then release, each
 * with rpmvercmp; a version without a release sorts before the same version with one
 * (`1.0` < `1.0-1`, as rpm.vercmp has it). Any string is accepted: rpmvercmp has no invalid input.
 */
export function compareRpm(a: string, b: string): number {
  const x = parseEvr(a);
  const y = parseEvr(b);
  const byVersion = compareNumbers(x.epoch, y.epoch) || rpmvercmp(x.version, y.version);
  if (byVersion !== 0) return byVersion;
  if (x.release === null || y.release === null) return x.release === y.release ? 0 : x.release === null ? -1 : 1;
  return rpmvercmp(x.release, y.release);
}

/** Whether `v` looks like an RPM EVR: a non-empty version with no whitespace. */
export function isValidRpm(v: string): boolean {
  return /^(\d+:)?[^\s:-][^\s:]*$/.test(v) && parseEvr(v).version !== '';
}
