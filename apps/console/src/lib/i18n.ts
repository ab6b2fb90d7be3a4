/**
 * i18next set-up: English and Vietnamese resources bundled (they are small), the
 * language from the user's last choice or the browser, `<html lang>` kept in sync.
 * The choice is also kept in a cookie, so the server renders a page's first screen in it.
 */
import i18next from 'i18next';
import { en } from './locales/en';
import { vi } from './locales/vi';

export const LANGUAGES = [
  { code: 'en', label: 'English' },
  { code: 'vi', label: 'Tiếng Việt' },
] as const;
export type Language = (typeof LANGUAGES)[number]['code'];

const STORAGE_KEY = 'berth.language';
/** The cookie the server reads for the language of its first render. */
export const LANGUAGE_COOKIE = 'berth_language';

export const isLanguage = (value: unknown): value is Language => value === 'en' || value === 'vi';

/** The language of a visitor who has not chosen one: Vietnamese when any preferred language is. */
export function preferredLanguage(languages: readonly string[]): Language {
  return languages.some((l) => l.trim().toLowerCase().startsWith('vi')) ? 'vi' : 'en';
}

/** The user's saved choice (this browser), if any. */
export function savedLanguage(): Language | null {
  if (typeof window === 'undefined') return null;
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    return isLanguage(saved) ? saved : null;
  } catch {
    return null;
  }
}

function initialLanguage(): Language {
  if (typeof window === 'undefined') return 'en';
  return savedLanguage() ?? preferredLanguage(navigator.languages);
}

function rememberLanguage(language: Language): void {
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
  document.cookie = `${LANGUAGE_COOKIE}=${language}; path=/; max-age=31536000; samesite=lax`;
}

/** Switches the UI language and remembers the choice. */
export async function changeLanguage(language: Language): Promise<void> {
  rememberLanguage(language);
  await i18next.changeLanguage(language);
}

i18next.on('languageChanged', (lng) => {
  if (typeof document !== 'undefined') document.documentElement.lang = lng;
});

void i18next.init({
  resources: { en: { translation: en }, vi: { translation: vi } },
  lng: initialLanguage(),
  fallbackLng: 'en',
  supportedLngs: ['en', 'vi'],
  interpolation: { escapeValue: false },
  returnNull: false,
  initAsync: false,
});

export { i18next };
