import type { UseQueryResult } from '@tanstack/react-query';
import { useTranslation } from '@/lib/use-translation';
import { prettyJson, saveBytes } from '@/lib/manifest-file';
import { Button } from './button';
import { CopyButton } from './copy-button';
import { ErrorState } from './error-state';
import { DownloadIcon } from './icons';
import { Spinner } from './spinner';

/** A manifest's bytes as served, with their media type. */
export interface RawManifest {
  bytes: Uint8Array;
  text: string;
  mediaType: string;
}

/**
 * A manifest exactly as the registry serves it: pretty-printed for reading, Copy (the text)
 * and Download (the bytes, untouched, as `fileName`); a spinner while it loads, the error with Retry.
 */
export function ManifestSection({ id, query, fileName }: { id: string; query: UseQueryResult<RawManifest>; fileName: string }) {
  const { t } = useTranslation();
  const manifest = query.data;
  return (
    <section aria-labelledby={id}>
      <div className="section-head">
        <h3 id={id} className="command-section-title">
          {t('details.manifest')}
        </h3>
        {manifest && (
          <div className="button-row">
            <CopyButton value={manifest.text} label={t('details.copyManifest')} text={t('details.copyManifest')} variant="secondary" size="md" showText />
            <Button onClick={() => saveBytes(manifest.bytes, fileName, manifest.mediaType)} title={fileName}>
              <DownloadIcon />
              {t('details.download')}
            </Button>
          </div>
        )}
      </div>
      {query.isPending ? (
        <Spinner block />
      ) : query.isError ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <pre className="code-block" tabIndex={0} aria-label={t('details.manifestJson')} data-testid="manifest-json">
          {prettyJson(query.data.text)}
        </pre>
      )}
    </section>
  );
}
