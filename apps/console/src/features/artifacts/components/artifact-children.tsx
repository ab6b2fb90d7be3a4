import { useTranslation } from 'react-i18next';
import type { Artifact } from '@berth/api';
import { ByteSize } from '@/components/ui/byte-size';
import { CopyButton } from '@/components/ui/copy-button';
import { shortDigest } from '@/lib/format';
import { platformLabel } from './platform-label';

/** The manifests an index points at: platform (os/arch/variant), digest, size, media type. */
export function ArtifactChildrenRow({ artifact, colSpan }: { artifact: Artifact; colSpan: number }) {
  const { t } = useTranslation();
  const children = artifact.children ?? [];
  return (
    <tr className="expansion-row" data-testid="artifact-children">
      <td colSpan={colSpan}>
        <table className="table table-nested" id={`children-${artifact.digest.replace(/[^a-z0-9]/gi, '-')}`}>
          <caption className="visually-hidden">{t('artifacts.childrenOf', { digest: shortDigest(artifact.digest) })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('artifacts.platform')}</th>
              <th scope="col">{t('artifacts.digest')}</th>
              <th scope="col" className="cell-end">
                {t('artifacts.size')}
              </th>
              <th scope="col">{t('artifacts.mediaType')}</th>
            </tr>
          </thead>
          <tbody>
            {children.map((c) => (
              <tr key={c.digest} data-testid="artifact-child-row">
                <td>{c.platform ? platformLabel(c.platform) : <span className="muted">{t('artifacts.noPlatform')}</span>}</td>
                <td>
                  <span className="digest">
                    <code title={c.digest}>{shortDigest(c.digest)}</code>
                    <CopyButton value={c.digest} label={t('artifacts.copyDigest', { digest: shortDigest(c.digest) })} />
                  </span>
                </td>
                <td className="cell-end">
                  <ByteSize bytes={c.size} />
                </td>
                <td className="muted small mono-wrap">{c.mediaType}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </td>
    </tr>
  );
}
