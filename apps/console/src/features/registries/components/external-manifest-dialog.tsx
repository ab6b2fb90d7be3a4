import { useTranslation } from '@/lib/use-translation';
import type { ExternalTag } from '@berth/api';
import { CopyButton } from '@/components/ui/copy-button';
import { Dialog } from '@/components/ui/dialog';
import { ManifestSection } from '@/components/ui/manifest-section';
import { shortDigest } from '@/lib/format';
import { manifestFileName } from '@/lib/manifest-file';
import { useExternalManifest } from '../api/browse-registry';

/** A tag's manifest exactly as the external registry serves it: pretty-printed, Copy and Download. */
export function ExternalManifestDialog({ registry, repository, image, tag, onClose }: { registry: string; repository: string; image: string; tag: ExternalTag | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Dialog open={tag !== null} onOpenChange={(open) => !open && onClose()} title={t('registries.browse.manifestTitle', { name: tag ? `${image}:${tag.name}` : image })} size="xl">
      {tag && <ManifestBody registry={registry} repository={repository} image={image} tag={tag} />}
    </Dialog>
  );
}

function ManifestBody({ registry, repository, image, tag }: { registry: string; repository: string; image: string; tag: ExternalTag }) {
  const { t } = useTranslation();
  // By digest: the bytes the tag pointed at when the page was read, even if it moved since.
  const manifest = useExternalManifest(registry, repository, image, tag.digest);
  return (
    <div className="details-stack">
      <dl className="facts">
        <div className="fact fact-wide">
          <dt>{t('artifacts.digest')}</dt>
          <dd className="digest">
            <code className="mono-wrap" data-testid="details-digest">
              {tag.digest}
            </code>
            <CopyButton value={tag.digest} label={t('artifacts.copyDigest', { digest: shortDigest(tag.digest) })} />
          </dd>
        </div>
        <div className="fact fact-wide">
          <dt>{t('artifacts.mediaType')}</dt>
          <dd className="mono-wrap small" data-testid="details-media-type">
            {manifest.data?.mediaType || tag.mediaType}
          </dd>
        </div>
      </dl>
      <ManifestSection id="external-manifest" query={manifest} fileName={manifestFileName(image, tag.name)} />
    </div>
  );
}
