import { describe, expect, it } from 'vitest';
import { connectionFailure } from '@berth/api';
import { i18next } from '@/lib/i18n';
import { reasonKey } from './reasons';

describe('reasonKey', () => {
  it('gives every reason of the contract its own sentence, in English and Vietnamese', () => {
    for (const language of ['en', 'vi']) {
      const t = i18next.getFixedT(language);
      const texts = connectionFailure.options.map((reason) => {
        const key = reasonKey(reason);
        expect(i18next.exists(key, { lng: language }), `${language} ${reason}`).toBe(true);
        return t(key);
      });
      expect(new Set(texts).size).toBe(connectionFailure.options.length);
    }
  });
  it('says what the brief asks for the common ones', () => {
    const t = i18next.getFixedT('en');
    expect(t(reasonKey('dns'))).toBe('The host name does not resolve.');
    expect(t(reasonKey('refused'))).toBe('Nothing answers on that port.');
    expect(t(reasonKey('tls_required'))).toBe('This port speaks TLS: use https://');
    expect(t(reasonKey('unauthorized'))).toBe('The username or password was refused.');
    expect(t(reasonKey('not_registry'))).toBe('It answers, but not as a container registry.');
  });
  it('reads a missing or unknown reason as an unexpected error', () => {
    for (const reason of [undefined, '', 'something_new', 'toString', '__proto__']) expect(reasonKey(reason)).toBe('registries.reasons.upstream_error');
  });
});
