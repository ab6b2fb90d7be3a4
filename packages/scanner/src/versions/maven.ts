// Maven versions, ordered as Maven 3.9's ComparableVersion orders them
// (https://maven.apache.org/pom.html#version-order-specification).

/** One item of a parsed version: a number, a qualifier, or a sub-list opened by `-` or a digit/letter change. */
type Item = { kind: 'number'; value: bigint } | { kind: 'qualifier'; value: string } | { kind: 'list'; items: Item[] };

const QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const ALIASES: Record<string, string> = { ga: '', final: '', release: '', cr: 'rc' };
const RELEASE_RANK = String(QUALIFIERS.indexOf(''));

/** A qualifier's sort key: known qualifiers by their rank, unknown ones after them, alphabetically. */
function rank(q: string): string {
  const i = QUALIFIERS.indexOf(q);
  return i < 0 ? `${QUALIFIERS.length}-${q}` : String(i);
}

function qualifier(text: string, followedByDigit: boolean): Item {
  let q = text;
  if (followedByDigit && q.length === 1) q = ({ a: 'alpha', b: 'beta', m: 'milestone' } as Record<string, string>)[q] ?? q;
  return { kind: 'qualifier', value: ALIASES[q] ?? q };
}

function item(text: string, isDigit: boolean): Item {
  return isDigit ? { kind: 'number', value: BigInt(text) } : qualifier(text, false);
}

function isNull(it: Item): boolean {
  if (it.kind === 'number') return it.value === 0n;
  if (it.kind === 'qualifier') return rank(it.value) === RELEASE_RANK;
  return it.items.length === 0;
}

/** Drops trailing null items (0, release qualifiers, empty lists), looking past non-empty sub-lists. */
function normalize(items: Item[]): void {
  for (let i = items.length - 1; i >= 0; i--) {
    const it = items[i]!;
    if (isNull(it)) items.splice(i, 1);
    else if (it.kind !== 'list') break;
  }
}

/** Splits a version into ComparableVersion's nested items. */
function parse(version: string): Item[] {
  const v = version.toLowerCase();
  const root: Item[] = [];
  const lists: Item[][] = [root];
  let list = root;
  const openList = (): void => {
    const sub: Item[] = [];
    list.push({ kind: 'list', items: sub });
    lists.push(sub);
    list = sub;
  };
  let isDigit = false;
  let start = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v[i]!;
    if (c === '.' || c === '-') {
      list.push(i === start ? { kind: 'number', value: 0n } : item(v.slice(start, i), isDigit));
      start = i + 1;
      if (c === '-') openList();
    } else if (c >= '0' && c <= '9') {
      if (!isDigit && i > start) {
        // `1.0.x1` is read as `1.0-x-1`: a qualifier never sits beside numbers in one list.
        if (list.length > 0) openList();
        list.push(qualifier(v.slice(start, i), true));
        start = i;
        openList();
      }
      isDigit = true;
    } else {
      if (isDigit && i > start) {
        list.push(item(v.slice(start, i), true));
        start = i;
        openList();
      }
      isDigit = false;
    }
  }
  if (v.length > start) {
    if (!isDigit && list.length > 0) openList();
    list.push(item(v.slice(start), isDigit));
  }
  for (let i = lists.length - 1; i >= 0; i--) normalize(lists[i]!);
  return root;
}

const sign = (a: string | bigint, b: string | bigint): number => (a < b ? -1 : a > b ? 1 : 0);

/** Compares an item with another, or with nothing (the shorter version's padding). */
function compareItem(a: Item, b: Item | null): number {
  if (a.kind === 'number') {
    if (b === null) return a.value === 0n ? 0 : 1;
    return b.kind === 'number' ? sign(a.value, b.value) : 1;
  }
  if (a.kind === 'qualifier') {
    if (b === null) return sign(rank(a.value), RELEASE_RANK);
    return b.kind === 'qualifier' ? sign(rank(a.value), rank(b.value)) : -1;
  }
  if (b === null) {
    // A list against nothing: its first item that is not null decides (`1-0.1` > `1`).
    for (const it of a.items) {
      const d = compareItem(it, null);
      if (d !== 0) return d;
    }
    return 0;
  }
  if (b.kind === 'number') return -1;
  if (b.kind === 'qualifier') return 1;
  return compareLists(a.items, b.items);
}

function compareLists(a: Item[], b: Item[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    const d = x === undefined ? (y === undefined ? 0 : -compareItem(y, null)) : compareItem(x, y ?? null);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Orders two Maven versions like ComparableVersion (Maven 3.9): items split on `.`, `-` and
 * digit/letter changes; `alpha` < `beta` < `milestone` < `rc` = `cr` < `snapshot` < `` =
 * `ga` = `final` = `release` < `sp` < other qualifiers (alphabetically); `1` = `1.0` =
 * `1.0.0`; case does not matter. Every string is a version to Maven, so there is no fallback.
 */
export function compareMaven(a: string, b: string): number {
  return compareLists(parse(a.trim()), parse(b.trim()));
}

/** Whether `v` is a usable Maven version: any non-empty string without whitespace. */
export function isValidMaven(v: string): boolean {
  return /^\S+$/.test(v);
}
