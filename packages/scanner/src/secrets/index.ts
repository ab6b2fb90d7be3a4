// The secret scanner as a file analyzer: text files up to a size, outside package data,
// searched for keywords first and by rule regexes only around them.
import type { FileAnalyzer, FileFindings, FileInfo, SecretFinding } from '../types.ts';
import { maskSecret } from './mask.ts';
import { findSecrets, rulesWithKeywords } from './matcher.ts';
import { SECRET_RULES, type SecretRule } from './rules.ts';
import { isSkippedForSecrets } from './skip.ts';

export { SECRET_RULES, type SecretRule } from './rules.ts';
export { maskSecret } from './mask.ts';

/** Options of the secret analyzer. */
export interface SecretAnalyzerOptions {
  /** Files larger than this are not read (default 1 MiB). */
  maxBytes?: number;
  /** Rules to run (default `SECRET_RULES`). */
  rules?: readonly SecretRule[];
  /** Findings kept per file (default 50); a note says when there were more. */
  maxFindingsPerFile?: number;
}

/** A NUL byte in the first this-many bytes marks a binary file, which is not scanned. */
export const BINARY_SNIFF_BYTES = 8192;

/** Finds secrets in one file's content (the analyzer's `analyze`, usable on its own). */
export function scanForSecrets(file: FileInfo, content: Buffer, opts: SecretAnalyzerOptions = {}): FileFindings {
  if (content.subarray(0, BINARY_SNIFF_BYTES).includes(0)) return {};
  const rules = rulesWithKeywords(content, opts.rules ?? SECRET_RULES);
  if (rules.length === 0) return {};
  const matches = findSecrets(content.toString('utf8'), rules);
  if (matches.length === 0) return {};
  const limit = opts.maxFindingsPerFile ?? 50;
  const secrets: SecretFinding[] = matches.slice(0, limit).map((m) => ({
    rule: m.rule.id,
    title: m.rule.title,
    severity: m.rule.severity,
    path: file.path,
    line: m.line,
    layer: file.layer,
    masked: maskSecret(m.secret),
  }));
  if (matches.length <= limit) return { secrets };
  return {
    secrets,
    notes: [{ path: file.path, layer: file.layer, message: `${matches.length} secrets found; the first ${limit} are listed` }],
  };
}

/** The secret analyzer: regular text files up to `maxBytes`, outside the skip lists of `skip.ts`. */
export function secretAnalyzer(opts: SecretAnalyzerOptions = {}): FileAnalyzer {
  const maxBytes = opts.maxBytes ?? 1024 * 1024;
  return {
    name: 'secrets',
    maxBytes,
    wants: (file) => file.size > 0 && file.size <= maxBytes && !isSkippedForSecrets(file.path),
    analyze: (file, content) => scanForSecrets(file, content, opts),
  };
}
