import { useTranslation } from 'react-i18next';
import { formatExactUtc, formatRelativeTime } from '@/lib/format';

/** "3 minutes ago", with the exact UTC time on hover; `null` reads as `fallback` ("Never"). */
export function RelativeTime({ value, fallback }: { value: string | null | undefined; fallback?: string }) {
  const { t, i18n } = useTranslation();
  if (!value) return <span className="muted">{fallback ?? t('common.never')}</span>;
  return (
    <time dateTime={value} title={formatExactUtc(value)}>
      {formatRelativeTime(value, i18n.language)}
    </time>
  );
}
