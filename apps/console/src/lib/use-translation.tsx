/**
 * Translations for components: `useTranslation()` returns `{ t, i18n }` like
 * react-i18next's hook, from one context the provider updates when the language changes.
 * react-i18next's own hook copies the i18next instance for every component that calls it
 * (measured at a fifth of a 50-row list's render, in the browser and in the server's
 * render); a list renders hundreds of translated cells, so each reads this context instead.
 */
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { i18n as I18n, TFunction } from 'i18next';

const PLACEHOLDER = /\{\{\s*(\w+)\s*\}\}/g;
/** Options only i18next itself can handle: plurals, contexts, defaults, objects, another language. */
const SPECIAL = ['context', 'defaultValue', 'returnObjects', 'lng', 'lngs', 'ns', 'keyPrefix', 'ordinal', 'replace'];

/**
 * `t` in `language`, answering the common calls without i18next's per-call work (it copies
 * its whole options object on every call: a third of a list's server render). A key with no
 * options is looked up once; a key whose text is a plain string (or, with a `count`, its
 * plural forms are) gets its `{{name}}` placeholders filled in directly. Everything else
 * (contexts, nesting, missing keys) goes to i18next. The results are the same (tested for every text in both languages).
 */
export function fastT(i18n: I18n, language: string): TFunction {
  // Keys are checked where `t` is called (the returned TFunction); here they are plain strings.
  const t = i18n.getFixedT(language) as unknown as (key: string, options?: unknown) => string;
  const fallbacks = [language, 'en'];
  const done = new Map<string, string>();
  const templates = new Map<string, string | null>();
  const template = (key: string) => {
    let text = templates.get(key);
    if (text === undefined) {
      text = null;
      for (const lng of fallbacks) {
        const found: unknown = i18n.getResource(lng, 'translation', key);
        if (typeof found === 'string') {
          text = found;
          break;
        }
      }
      templates.set(key, text);
    }
    return text;
  };
  const plurals = new Intl.PluralRules(language);
  const fill = (text: string, values: Record<string, unknown>) =>
    // As i18next does: a value not given leaves its placeholder, a null one leaves nothing.
    text.replace(PLACEHOLDER, (whole, name: string) => {
      const value = values[name];
      return value === undefined ? whole : value === null ? '' : String(value);
    });
  /** The text of `key` for `count`: `key_zero` for 0 when there is one, else the language's plural form, else `key_other`. */
  const pluralTemplate = (key: string, count: number) =>
    (count === 0 ? template(`${key}_zero`) : null) ?? template(`${key}_${plurals.select(count)}`) ?? template(`${key}_other`);
  const fast = (key: unknown, options?: unknown): string => {
    if (typeof key !== 'string') return t(key as string, options);
    if (options === undefined) {
      let text = done.get(key);
      if (text === undefined) {
        text = t(key);
        done.set(key, text);
      }
      return text;
    }
    if (typeof options === 'object' && options !== null && !SPECIAL.some((k) => k in options)) {
      const values = options as Record<string, unknown>;
      const text = typeof values.count === 'number' ? pluralTemplate(key, values.count) : 'count' in values ? null : template(key);
      if (text !== null) return fill(text, values);
    }
    return t(key, options);
  };
  return fast as unknown as TFunction;
}

interface Translation {
  t: TFunction;
  i18n: I18n;
}

const TranslationContext = createContext<Translation | null>(null);

/** Gives the components below `i18n`'s texts, in its current language; re-renders them when it changes. */
export function TranslationProvider({ i18n, children }: { i18n: I18n; children: ReactNode }) {
  const [language, setLanguage] = useState(i18n.language);
  useEffect(() => {
    const onChange = (lng: string) => setLanguage(lng);
    i18n.on('languageChanged', onChange);
    // A change between the first render and this effect.
    setLanguage(i18n.language);
    return () => i18n.off('languageChanged', onChange);
  }, [i18n]);
  const value = useMemo<Translation>(() => ({ t: fastT(i18n, language), i18n }), [i18n, language]);
  return <TranslationContext.Provider value={value}>{children}</TranslationContext.Provider>;
}

/** `t` in the UI language, and the i18next instance (for `i18n.language`). */
export function useTranslation(): Translation {
  const value = useContext(TranslationContext);
  if (!value) throw new Error('useTranslation outside TranslationProvider');
  return value;
}
