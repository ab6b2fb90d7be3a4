import { useEffect, useState } from 'react';
import { useTranslation } from '@/lib/use-translation';
import { toast } from '@/lib/toast';
import { Button, type ButtonSize, type ButtonVariant } from './button';
import { CheckIcon, CopyIcon } from './icons';

/** Copies text; `navigator.clipboard` needs a secure origin, so plain http falls back to execCommand. */
export async function copyText(text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  if (!ok) throw new Error('copy failed');
}

export interface CopyButtonProps {
  value: string;
  /** The accessible name: what is copied. */
  label: string;
  size?: ButtonSize;
  variant?: ButtonVariant;
  /** Show a text next to the icon: "Copy", or `text` when given (then it is also the name). */
  showText?: boolean;
  text?: string;
}

/** A button that copies `value`; its accessible name says what (`label`), and it confirms. */
export function CopyButton({ value, label, size = 'sm', variant = 'ghost', showText = false, text }: CopyButtonProps) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 1500);
    return () => clearTimeout(timer);
  }, [copied]);

  const onClick = () => {
    copyText(value).then(
      () => setCopied(true),
      () => toast.error(t('common.copyFailed')),
    );
  };

  return (
    <Button size={size} variant={variant} className="copy-button" onClick={onClick} aria-label={label} title={label}>
      {copied ? <CheckIcon /> : <CopyIcon />}
      {showText && <span>{copied ? t('common.copied') : (text ?? t('common.copy'))}</span>}
      <span className="visually-hidden" aria-live="polite">
        {copied ? t('common.copied') : ''}
      </span>
    </Button>
  );
}
