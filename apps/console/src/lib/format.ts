/**
 * Formatting with Intl: relative and exact UTC times, human and exact sizes, counts.
 * Every function takes the UI language so numbers and dates follow it.
 */

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

const cache = new Map<string, Intl.RelativeTimeFormat | Intl.DateTimeFormat | Intl.NumberFormat>();
function memo<T extends Intl.RelativeTimeFormat | Intl.DateTimeFormat | Intl.NumberFormat>(key: string, make: () => T): T {
  let f = cache.get(key);
  if (!f) {
    f = make();
    cache.set(key, f);
  }
  return f as T;
}

/** "3 minutes ago", "in 2 days"; "now" under 10 seconds. */
export function formatRelativeTime(iso: string, locale: string, now: number = Date.now()): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return iso;
  const seconds = Math.round((then - now) / 1000);
  const rtf = memo(`rtf:${locale}`, () => new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }));
  if (Math.abs(seconds) < 10) return rtf.format(0, 'second');
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === 'second') return rtf.format(Math.trunc(seconds / size), unit);
  }
  return iso;
}

/** "2026-11-23 20:57:00 UTC", the same in every language, for title attributes. */
export function formatExactUtc(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** A date in the UI language, e.g. "Nov 23, 2026" (UTC). */
export function formatDate(iso: string, locale: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return memo(`date:${locale}`, () => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' })).format(d);
}

/** Integers with the language's grouping: 12,345. */
export function formatNumber(value: number, locale: string): string {
  return memo(`num:${locale}`, () => new Intl.NumberFormat(locale)).format(value);
}

const BYTE_UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte', 'petabyte'] as const;

/** Human size in SI units ("12.3 MB" with 1 MB = 1,000,000 bytes, as the docker CLI prints). */
export function formatBytes(bytes: number, locale: string): string {
  let value = bytes;
  let i = 0;
  while (Math.abs(value) >= 999.5 && i < BYTE_UNITS.length - 1) {
    value /= 1000;
    i++;
  }
  const unit = BYTE_UNITS[i] ?? 'byte';
  if (unit === 'byte') return `${formatNumber(bytes, locale)} B`;
  const digits = i === 0 ? 0 : value < 10 ? 2 : value < 100 ? 1 : 0;
  return memo(
    `bytes:${locale}:${unit}:${digits}`,
    () => new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: digits }),
  ).format(value);
}

/** `sha256:0123456789ab`: the algorithm and the first 12 hex digits. */
export function shortDigest(digest: string): string {
  const [algorithm, hex] = digest.split(':', 2);
  return hex ? `${algorithm}:${hex.slice(0, 12)}` : digest;
}
