import { describe, expect, it } from 'vitest';
import { i18next } from './i18n';
import { en } from './locales/en';
import { vi } from './locales/vi';
import { fastT } from './use-translation';

/** Every key of a locale's nested texts, dotted (`artifacts.copyDigest`). */
function keys(tree: object, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : keys(v as object, `${prefix}${k}.`)));
}
/** The base keys, without i18next's plural suffixes. */
const bases = (tree: object) => [...new Set(keys(tree).map((k) => k.replace(/_(zero|one|two|few|many|other)$/, '')))];

const values = { name: 'ci', repository: 'team', digest: 'sha256:0123456789ab', value: '1,234', q: 'v1', image: 'app', images: 3, client: 'docker', by: 'admin', what: 'x' };

describe('fastT', () => {
  for (const language of ['en', 'vi']) {
    it(`gives i18next's own text for every ${language} key, with and without values, counts and missing values`, () => {
      type T = (key: string, options?: object) => string;
      const fast = fastT(i18next, language) as unknown as T;
      const slow = i18next.getFixedT(language) as unknown as T;
      for (const key of bases(language === 'en' ? en : vi)) {
        expect(fast(key), key).toBe(slow(key));
        expect(fast(key), `${key} (cached)`).toBe(slow(key));
        expect(fast(key, values), key).toBe(slow(key, values));
        for (const count of [0, 1, 2, 7, 21, 1.5]) expect(fast(key, { ...values, count }), `${key} ${count}`).toBe(slow(key, { ...values, count }));
        expect(fast(key, { digest: 'x' }), key).toBe(slow(key, { digest: 'x' }));
        expect(fast(key, { ...values, name: null }), key).toBe(slow(key, { ...values, name: null }));
      }
      expect(fast('no.such.key', values)).toBe(slow('no.such.key', values));
    });
  }
});
