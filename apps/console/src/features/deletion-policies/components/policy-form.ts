import type { DeletionPolicy } from '@berth/api';

/**
 * The bounds of a deletion policy, as the API's `deletionPolicy` schema has them (a test
 * checks they agree): the browser says what is wrong before the server has to.
 */
export const POLICY_BOUNDS = {
  days: { min: 1, max: 3650 },
  newest: { min: 1, max: 10_000 },
  patterns: 20,
  patternLength: 128,
} as const;

/** A keep-tag glob: letters, digits, `_ . -`, and the wildcards `*` and `?`. */
export const KEEP_TAG_PATTERN = /^[A-Za-z0-9_.*?-]+$/;

/** The form as typed: numbers as text (empty: the rule is off), patterns as one text. */
export interface PolicyDraft {
  enabled: boolean;
  untagged: boolean;
  olderThanDays: string;
  keepNewest: string;
  keepPulledWithinDays: string;
  keepTagPatterns: string;
}

export type PolicyField = 'olderThanDays' | 'keepNewest' | 'keepPulledWithinDays' | 'keepTagPatterns';

/** What is wrong with a field, as a message key (and the pattern it is about). */
export type PolicyFieldError = { key: 'days' | 'newest' | 'patterns' | 'patternLong' } | { key: 'pattern'; pattern: string } | { text: string };

export type PolicyErrors = Partial<Record<PolicyField, PolicyFieldError>>;

/** The disabled policy a repository has before it sets one. */
export const EMPTY_POLICY: DeletionPolicy = {
  enabled: false,
  untagged: false,
  olderThanDays: null,
  keepNewest: null,
  keepPulledWithinDays: null,
  keepTagPatterns: [],
};

const numberText = (n: number | null) => (n === null ? '' : String(n));

/** The form's starting text for a policy. */
export function toDraft(policy: DeletionPolicy | null | undefined): PolicyDraft {
  const p = policy ?? EMPTY_POLICY;
  return {
    enabled: p.enabled,
    untagged: p.untagged,
    olderThanDays: numberText(p.olderThanDays),
    keepNewest: numberText(p.keepNewest),
    keepPulledWithinDays: numberText(p.keepPulledWithinDays),
    keepTagPatterns: p.keepTagPatterns.join(', '),
  };
}

/** Keep-tag patterns from text separated by commas or line breaks: trimmed, empty ones and repeats dropped. */
export function parsePatterns(text: string): string[] {
  const seen = new Set<string>();
  for (const part of text.split(/[,\n\r]+/)) {
    const pattern = part.trim();
    if (pattern) seen.add(pattern);
  }
  return [...seen];
}

/** A whole number within bounds, `null` for empty text, or `undefined` when it is neither. */
function wholeNumber(text: string, bounds: { min: number; max: number }): number | null | undefined {
  const trimmed = text.trim();
  if (!trimmed) return null;
  if (!/^\d+$/.test(trimmed)) return undefined;
  const n = Number(trimmed);
  return n >= bounds.min && n <= bounds.max ? n : undefined;
}

/** The policy the form describes, or what is wrong with each field. */
export function validateDraft(draft: PolicyDraft): { policy: DeletionPolicy; errors?: undefined } | { policy?: undefined; errors: PolicyErrors } {
  const errors: PolicyErrors = {};
  const olderThanDays = wholeNumber(draft.olderThanDays, POLICY_BOUNDS.days);
  if (olderThanDays === undefined) errors.olderThanDays = { key: 'days' };
  const keepNewest = wholeNumber(draft.keepNewest, POLICY_BOUNDS.newest);
  if (keepNewest === undefined) errors.keepNewest = { key: 'newest' };
  const keepPulledWithinDays = wholeNumber(draft.keepPulledWithinDays, POLICY_BOUNDS.days);
  if (keepPulledWithinDays === undefined) errors.keepPulledWithinDays = { key: 'days' };
  const keepTagPatterns = parsePatterns(draft.keepTagPatterns);
  const tooLong = keepTagPatterns.find((p) => p.length > POLICY_BOUNDS.patternLength);
  const bad = keepTagPatterns.find((p) => !KEEP_TAG_PATTERN.test(p));
  if (keepTagPatterns.length > POLICY_BOUNDS.patterns) errors.keepTagPatterns = { key: 'patterns' };
  else if (tooLong) errors.keepTagPatterns = { key: 'patternLong' };
  else if (bad) errors.keepTagPatterns = { key: 'pattern', pattern: bad };

  if (olderThanDays === undefined || keepNewest === undefined || keepPulledWithinDays === undefined || errors.keepTagPatterns) return { errors };
  return { policy: { enabled: draft.enabled, untagged: draft.untagged, olderThanDays, keepNewest, keepPulledWithinDays, keepTagPatterns } };
}

const FIELD_KEYS: Record<PolicyField, PolicyFieldError> = {
  olderThanDays: { key: 'days' },
  keepNewest: { key: 'newest' },
  keepPulledWithinDays: { key: 'days' },
  keepTagPatterns: { key: 'patterns' },
};

/**
 * The server's field messages of a VALIDATION_FAILED answer (`{path: message}`, paths like
 * `olderThanDays` or `keepTagPatterns.2`) as the form's errors: a known field gets the form's
 * own words (a pattern names the one that was sent), anything else keeps the server's.
 */
export function serverPolicyErrors(fields: Record<string, string>, sent: DeletionPolicy | undefined): PolicyErrors {
  const errors: PolicyErrors = {};
  for (const [path, message] of Object.entries(fields)) {
    const [field, index] = path.split('.') as [string, string | undefined];
    if (!(field in FIELD_KEYS) || errors[field as PolicyField]) continue;
    const name = field as PolicyField;
    if (name === 'keepTagPatterns' && index !== undefined) {
      const pattern = sent?.keepTagPatterns[Number(index)];
      errors[name] = pattern !== undefined ? { key: 'pattern', pattern } : { text: message };
    } else errors[name] = FIELD_KEYS[name];
  }
  return errors;
}
