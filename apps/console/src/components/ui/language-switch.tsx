import { useId } from 'react';
import { useTranslation } from '@/lib/use-translation';
import { changeLanguage, LANGUAGES, type Language } from '@/lib/i18n';

/** A labelled language select (English / Tiếng Việt); the choice is remembered. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const id = useId();
  return (
    <div className="language-switch">
      <label htmlFor={id} className="visually-hidden">
        {t('common.language')}
      </label>
      <select id={id} className="input input-sm" value={i18n.resolvedLanguage ?? i18n.language} onChange={(e) => void changeLanguage(e.target.value as Language)}>
        {LANGUAGES.map((l) => (
          <option key={l.code} value={l.code} lang={l.code}>
            {l.label}
          </option>
        ))}
      </select>
    </div>
  );
}
