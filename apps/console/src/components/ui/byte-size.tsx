import { useTranslation } from '@/lib/use-translation';
import { formatBytes } from '@/lib/format';

/** A human size ("12.3 MB"); the title and `data-bytes` carry the exact byte count. */
export function ByteSize({ bytes, testId }: { bytes: number; testId?: string }) {
  const { t, i18n } = useTranslation();
  return (
    <span className="num" title={t('format.exactBytes', { count: bytes, value: String(bytes) })} data-bytes={bytes} data-testid={testId}>
      {formatBytes(bytes, i18n.language)}
    </span>
  );
}
