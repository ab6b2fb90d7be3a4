import { useTranslation } from '@/lib/use-translation';
import { LockIcon } from './icons';

/**
 * "Locked": a lock icon and the word, or (`compact`, beside a tag chip) the icon alone with
 * the words for screen readers and as its tooltip. `label` says what is locked ("Tag 1.0 is locked").
 */
export function LockBadge({ compact = false, label, testId }: { compact?: boolean; label?: string; testId?: string }) {
  const { t } = useTranslation();
  const text = t('lock.locked');
  const title = label ?? t('lock.lockedHint');
  return (
    <span className={compact ? 'badge badge-lock badge-icon' : 'badge badge-lock'} title={title} data-testid={testId}>
      <LockIcon />
      {compact ? <span className="visually-hidden">{label ?? text}</span> : <span>{text}</span>}
    </span>
  );
}
