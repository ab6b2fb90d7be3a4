// Tag globs for deletion-policy keep patterns, without RegExp.
//
// `*` matches any run of characters (none included), `?` exactly one, every other
// character itself; case-sensitive; the whole tag must match. The matcher walks the
// pattern and the tag with two pointers and, on a mismatch, goes back only to the last
// `*` it passed, so it never backtracks exponentially: O(pattern × tag) at worst,
// about O(tag) for real patterns. Tags are ASCII (OCI: `[A-Za-z0-9_][A-Za-z0-9._-]*`),
// so `?` counting UTF-16 code units is counting characters.

const STAR = 42; // '*'
const QUESTION = 63; // '?'

/** Whether the whole of `text` matches `pattern`. */
export function globMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1; // position of the last `*` seen in the pattern
  let resume = 0; // where in the text that `*` stopped swallowing characters
  while (t < text.length) {
    if (p < pattern.length) {
      const c = pattern.charCodeAt(p);
      if (c === STAR) {
        star = p++;
        resume = t;
        continue;
      }
      if (c === QUESTION || c === text.charCodeAt(t)) {
        p++;
        t++;
        continue;
      }
    }
    if (star < 0) return false;
    p = star + 1;
    t = ++resume; // let the last `*` swallow one more character
  }
  while (p < pattern.length && pattern.charCodeAt(p) === STAR) p++;
  return p === pattern.length;
}

/** A matcher for one pattern, with shortcuts for the common shapes (`v1`, `release-*`, `*-rc`, `*`). */
export function compileGlob(pattern: string): (text: string) => boolean {
  const p = collapseStars(pattern);
  const stars = count(p, '*');
  if (p.includes('?') || stars > 1) return (text) => globMatch(p, text);
  if (stars === 0) return (text) => text === p;
  if (p === '*') return () => true;
  if (p.endsWith('*')) {
    const prefix = p.slice(0, -1);
    return (text) => text.startsWith(prefix);
  }
  if (p.startsWith('*')) {
    const suffix = p.slice(1);
    return (text) => text.endsWith(suffix);
  }
  const [head = '', tail = ''] = p.split('*');
  return (text) => text.length >= head.length + tail.length && text.startsWith(head) && text.endsWith(tail);
}

/**
 * Compiles a list of patterns once; the returned function gives the first pattern
 * (in list order) that matches a tag, or null when none does.
 */
export function compileTagPatterns(patterns: readonly string[]): (tag: string) => string | null {
  const compiled = [...new Set(patterns)].map((pattern) => ({ pattern, match: compileGlob(pattern) }));
  if (compiled.length === 0) return () => null;
  return (tag) => {
    for (const c of compiled) if (c.match(tag)) return c.pattern;
    return null;
  };
}

/** `a**b` matches what `a*b` matches; one star per run keeps the shortcuts applicable. */
function collapseStars(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    if (pattern.charCodeAt(i) !== STAR || pattern.charCodeAt(i - 1) !== STAR) out += pattern[i];
  }
  return out;
}

function count(s: string, ch: string): number {
  let n = 0;
  for (let i = s.indexOf(ch); i >= 0; i = s.indexOf(ch, i + 1)) n++;
  return n;
}
