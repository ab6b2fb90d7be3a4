// Python package versions: PEP 440, read by @renovatebot/pep440.
import { compare, valid } from '@renovatebot/pep440';

/**
 * Orders two PyPI versions by PEP 440 (`1.0.dev1` < `1.0a1` < `1.0` < `1.0.post1`, epochs
 * `1!0.1` above every epoch-0 version). Fallback, as pip's old LegacyVersion did: a version
 * that is not PEP 440 sorts before every valid one; two such versions compare as strings.
 */
export function comparePep440(a: string, b: string): number {
  const x = isValidPep440(a);
  const y = isValidPep440(b);
  if (x && y) return Math.sign(compare(a, b));
  if (x) return 1;
  if (y) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Whether `v` is a PEP 440 version. */
export function isValidPep440(v: string): boolean {
  return valid(v) !== null;
}
