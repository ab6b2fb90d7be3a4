import { useId } from 'react';
import { useTranslation } from '@/lib/use-translation';

/** "Use repository default" or "Set for this image", as the deletion policy form asks it. */
export function InheritChoice({ legend, own, inheriting, disabled, onChange }: { legend: string; own: string; inheriting: boolean; disabled: boolean; onChange: (inherit: boolean) => void }) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <fieldset className="choice-group" disabled={disabled}>
      <legend className="command-section-title">{legend}</legend>
      <label className="choice" htmlFor={`${id}-inherit`}>
        <input type="radio" id={`${id}-inherit`} name={`${id}-mode`} checked={inheriting} onChange={() => onChange(true)} />
        {t('scans.inherit')}
      </label>
      <label className="choice" htmlFor={`${id}-own`}>
        <input type="radio" id={`${id}-own`} name={`${id}-mode`} checked={!inheriting} onChange={() => onChange(false)} />
        {own}
      </label>
    </fieldset>
  );
}
