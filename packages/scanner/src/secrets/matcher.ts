// Runs the rules over one text. Cost for a text without keywords: one substring search per
// keyword. Around each keyword the regex sees a window of at most a few KiB of that line, so
// long lines (minified JS, one-line JSON) cost no more per keyword than short ones.
import type { SecretRule } from './rules.ts';

/** One match, before it becomes a finding. */
export interface SecretMatch {
  rule: SecretRule;
  /** 1-based line of the match's first character. */
  line: number;
  /** The secret part of the match (never to be kept: mask it). */
  secret: string;
  start: number;
  end: number;
}

/** No match is longer than this (the longest rule allows about 560 characters). */
export const MAX_MATCH_LENGTH = 1024;
/** Characters of a line a window reaches past its keyword, so that keywords close together share one window. */
export const WINDOW = 4096;
const CONFIRM_LOOKAHEAD = 1024;

/** Offsets of every occurrence of `keyword` in `text`, appended to `into`. */
function occurrences(text: string, keyword: string, into: number[]): void {
  for (let i = text.indexOf(keyword); i >= 0; i = text.indexOf(keyword, i + 1)) into.push(i);
}

/** Start of the line holding `at`, looking back at most `limit` characters. */
function lineStartWithin(text: string, at: number, limit: number): { pos: number; isLineStart: boolean } {
  const from = Math.max(0, at - limit);
  const nl = text.slice(from, at).lastIndexOf('\n');
  if (nl >= 0) return { pos: from + nl + 1, isLineStart: true };
  return { pos: from, isLineStart: from === 0 };
}

/** End of the line holding `at`, looking ahead at most `limit` characters. */
function lineEndWithin(text: string, at: number, limit: number): { pos: number; isLineEnd: boolean } {
  const to = Math.min(text.length, at + limit);
  const nl = text.slice(at, to).indexOf('\n');
  if (nl >= 0) return { pos: at + nl, isLineEnd: true };
  return { pos: to, isLineEnd: to === text.length };
}

/** Maps offsets to 1-based line numbers; newlines are counted once, on first use. */
class LineIndex {
  private starts: number[] | null = null;
  constructor(private readonly text: string) {}
  lineOf(offset: number): number {
    if (!this.starts) {
      this.starts = [0];
      for (let i = this.text.indexOf('\n'); i >= 0; i = this.text.indexOf('\n', i + 1)) this.starts.push(i + 1);
    }
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }
}

/** Runs one rule's regex in windows around its keywords. */
function matchRule(text: string, rule: SecretRule, lines: LineIndex, out: SecretMatch[]): void {
  const hits: number[] = [];
  for (const k of rule.keywords) occurrences(text, k, hits);
  if (hits.length === 0) return;
  hits.sort((a, b) => a - b);
  const re = new RegExp(rule.regex.source, rule.regex.flags.includes('g') ? rule.regex.flags : rule.regex.flags + 'g');
  const seen = new Set<number>();
  let win: { s: number; e: number; sIsLine: boolean; eIsLine: boolean } | null = null;
  for (const at of hits) {
    // Every match that holds this keyword lies within MAX_MATCH_LENGTH of it, on its line:
    // when the last window covered all of that, it has been seen.
    if (
      win &&
      at >= win.s &&
      at <= win.e &&
      (win.sIsLine || at - MAX_MATCH_LENGTH >= win.s) &&
      (win.eIsLine || at + MAX_MATCH_LENGTH <= win.e)
    ) {
      continue;
    }
    const start = lineStartWithin(text, at, MAX_MATCH_LENGTH);
    const end = lineEndWithin(text, at, WINDOW);
    const s = start.pos;
    const e = end.pos;
    win = { s, e, sIsLine: start.isLineStart, eIsLine: end.isLineEnd };
    // One character of context on each side for the look-behinds and look-aheads; a match
    // that reaches into a context character belongs to the window that holds it.
    const from = start.isLineStart ? s : s - 1;
    const to = end.isLineEnd ? e : e + 1;
    const window = text.slice(from, to);
    re.lastIndex = 0;
    for (let m = re.exec(window); m; m = re.exec(window)) {
      if (m[0].length === 0) re.lastIndex++;
      const mStart = from + m.index;
      const mEnd = mStart + m[0].length;
      if (mStart < s || mEnd > e || seen.has(mStart)) continue;
      seen.add(mStart);
      let secret: string | null = m.groups?.secret ?? m[0];
      if (rule.confirm) secret = rule.confirm(text.slice(mEnd, mEnd + CONFIRM_LOOKAHEAD));
      if (secret === null || rule.reject?.(secret)) continue;
      out.push({ rule, line: lines.lineOf(mStart), secret, start: mStart, end: mEnd });
    }
  }
}

/**
 * Every match of `rules` in `text`, ordered by position. Where matches of two rules overlap,
 * the one of the rule listed first is kept (a service-account key is not also a bare private key).
 */
export function findSecrets(text: string, rules: readonly SecretRule[]): SecretMatch[] {
  const lines = new LineIndex(text);
  const all: SecretMatch[] = [];
  for (const rule of rules) matchRule(text, rule, lines, all);
  if (all.length === 0) return all;
  const order = new Map(rules.map((r, i) => [r, i]));
  all.sort((a, b) => (order.get(a.rule) ?? 0) - (order.get(b.rule) ?? 0) || a.start - b.start);
  const kept: SecretMatch[] = [];
  for (const m of all) {
    if (!kept.some((k) => m.start < k.end && k.start < m.end)) kept.push(m);
  }
  return kept.sort((a, b) => a.start - b.start);
}

/** The rules any of whose keywords occurs in `content` (searched as bytes, before any decoding). */
export function rulesWithKeywords(content: Buffer, rules: readonly SecretRule[]): SecretRule[] {
  return rules.filter((r) => r.keywords.some((k) => content.includes(k)));
}
