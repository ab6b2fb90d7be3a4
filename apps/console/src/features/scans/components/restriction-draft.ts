import type { PullRestriction } from '@berth/api';

/** A limit's bounds, as the API's `pullRestriction` schema has them (a test checks they agree). */
export const LIMIT_BOUNDS = { min: 1, max: 9_999_999 } as const;

/** The form as typed: each limit a checkbox and its number as text. */
export interface RestrictionDraft {
  enabled: boolean;
  refuseUnscanned: boolean;
  critical: { on: boolean; value: string };
  high: { on: boolean; value: string };
  ignoreWithoutFix: boolean;
}

export type LimitField = 'criticalLimit' | 'highLimit';
/** What is wrong with a field: out of bounds (the form's words) or the server's own message. */
export type LimitError = { key: 'limit' } | { text: string };
export type RestrictionErrors = Partial<Record<LimitField, LimitError>>;

/** The restriction an image has before anyone sets one: off, nothing refused. */
export const EMPTY_RESTRICTION: PullRestriction = {
  enabled: false,
  refuseUnscanned: false,
  criticalLimit: null,
  highLimit: null,
  ignoreWithoutFix: false,
};

/** A limit's starting text when it is turned on: 1 (refuse at the first one). */
const DEFAULT_LIMIT = '1';

/** The form's starting state for a restriction. */
export function toRestrictionDraft(restriction: PullRestriction | null | undefined): RestrictionDraft {
  const r = restriction ?? EMPTY_RESTRICTION;
  const limit = (n: number | null) => ({ on: n !== null, value: n === null ? DEFAULT_LIMIT : String(n) });
  return { enabled: r.enabled, refuseUnscanned: r.refuseUnscanned, critical: limit(r.criticalLimit), high: limit(r.highLimit), ignoreWithoutFix: r.ignoreWithoutFix };
}

/** A whole number within the bounds, or undefined. */
function limitOf(text: string): number | undefined {
  const trimmed = text.trim().replace(/[,\s]/g, '');
  if (!/^\d+$/.test(trimmed)) return undefined;
  const n = Number(trimmed);
  return n >= LIMIT_BOUNDS.min && n <= LIMIT_BOUNDS.max ? n : undefined;
}

/** The restriction the form describes, or what is wrong with each limit (a limit that is off is not checked). */
export function validateRestriction(draft: RestrictionDraft): { restriction: PullRestriction; errors?: undefined } | { restriction?: undefined; errors: RestrictionErrors } {
  const errors: RestrictionErrors = {};
  const criticalLimit = draft.critical.on ? limitOf(draft.critical.value) : null;
  if (criticalLimit === undefined) errors.criticalLimit = { key: 'limit' };
  const highLimit = draft.high.on ? limitOf(draft.high.value) : null;
  if (highLimit === undefined) errors.highLimit = { key: 'limit' };
  if (criticalLimit === undefined || highLimit === undefined) return { errors };
  return {
    restriction: { enabled: draft.enabled, refuseUnscanned: draft.refuseUnscanned, criticalLimit, highLimit, ignoreWithoutFix: draft.ignoreWithoutFix },
  };
}

/** The server's field messages of a VALIDATION_FAILED answer as the form's errors: the limits get the form's words, others are not the form's. */
export function serverRestrictionErrors(fields: Record<string, string>): RestrictionErrors {
  const errors: RestrictionErrors = {};
  for (const path of Object.keys(fields)) {
    if (path === 'criticalLimit' || path === 'highLimit') errors[path] = { key: 'limit' };
  }
  return errors;
}
