import { useTranslation } from '@/lib/use-translation';
import type { Artifact, ArtifactChild } from '@berth/api';
import { ByteSize } from '@/components/ui/byte-size';
import { CopyButton } from '@/components/ui/copy-button';
import { shortDigest } from '@/lib/format';
import { platformLabel } from '@/lib/platform-label';

/** The manifests an index points at: platform (os/arch/variant), digest, size, media type. */
export function ArtifactChildrenRow({ artifact, colSpan }: { artifact: Artifact; colSpan: number }) {
  const children = artifact.children ?? [];
  return (
    <tr className="expansion-row" data-testid="artifact-children">
      <td colSpan={colSpan}>
        <ChildManifestsTable
          parentDigest={artifact.digest}
          items={children}
          id={`children-${artifact.digest.replace(/[^a-z0-9]/gi, '-')}`}
          rowTestId="artifact-child-row"
        />
      </td>
    </tr>
  );
}

/** The table of an index's child manifests, in the artifacts list and in the details window. */
export function ChildManifestsTable({
  parentDigest,
  items,
  id,
  className = 'table table-nested',
  rowTestId,
}: {
  parentDigest: string;
  items: ArtifactChild[];
  id?: string;
  className?: string;
  rowTestId?: string;
}) {
  const { t } = useTranslation();
  return (
    <table className={className} id={id}>
      <caption className="visually-hidden">{t('artifacts.childrenOf', { digest: shortDigest(parentDigest) })}</caption>
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
        {items.map((c) => (
          <tr key={c.digest} data-testid={rowTestId}>
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
  );
}
