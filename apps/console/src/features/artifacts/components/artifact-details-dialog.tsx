import { useMemo, useState } from 'react';
import { useTranslation } from '@/lib/use-translation';
import type { Artifact } from '@berth/api';
import { Badge } from '@/components/ui/badge';
import { ByteSize } from '@/components/ui/byte-size';
import { CopyButton } from '@/components/ui/copy-button';
import { Dialog } from '@/components/ui/dialog';
import { ManifestSection } from '@/components/ui/manifest-section';
import { RelativeTime } from '@/components/ui/relative-time';
import { SelectField } from '@/components/ui/field';
import { formatNumber, shortDigest } from '@/lib/format';
import { manifestFileName } from '@/lib/manifest-file';
import { useManifest } from '../api/get-manifest';
import { ChildManifestsTable } from './artifact-children';
import { ImageConfigPanel } from './image-config-panel';
import { indexChildren } from './manifest-file';
import { platformLabel } from '@/lib/platform-label';

export interface ArtifactDetailsDialogProps {
  repository: string;
  image: string;
  /** The artifact's digest; the dialog is open while it is set. */
  digest: string | null;
  /** Its row, when the list has it (tags, times, counts). */
  artifact: Artifact | undefined;
  onClose: () => void;
}

/**
 * One artifact in full: tags, digest, times and pulls; its manifest exactly as the
 * registry serves it (pretty-printed, Copy, Download); an index's children; the image config.
 */
export function ArtifactDetailsDialog({ repository, image, digest, artifact, onClose }: ArtifactDetailsDialogProps) {
  const { t } = useTranslation();
  return (
    <Dialog
      open={digest !== null}
      onOpenChange={(open) => !open && onClose()}
      title={t('details.title', { name: `${image}${artifact?.tags[0] ? `:${artifact.tags[0]}` : digest ? `@${shortDigest(digest)}` : ''}` })}
      size="xl"
    >
      {digest && <DetailsBody repository={repository} image={image} digest={digest} artifact={artifact} />}
    </Dialog>
  );
}

function DetailsBody({ repository, image, digest, artifact }: { repository: string; image: string; digest: string; artifact: Artifact | undefined }) {
  const { t, i18n } = useTranslation();
  const manifest = useManifest(repository, image, digest);
  const listed = useMemo(() => indexChildren(manifest.data?.text), [manifest.data]);
  const children = artifact?.children ?? listed;
  const [picked, setPicked] = useState<string | null>(null);
  // The picked child, else the first one (the row may arrive after the window opened).
  const child = children.find((c) => c.digest === picked)?.digest ?? children[0]?.digest ?? '';
  const fileReference = artifact?.tags[0] ?? digest;
  const isIndex = children.length > 0 || /index|list/.test(manifest.data?.mediaType ?? artifact?.mediaType ?? '');

  return (
    <div className="details-stack">
      <section aria-labelledby="details-artifact">
        <h3 id="details-artifact" className="command-section-title">
          {t('details.artifact')}
        </h3>
        <dl className="facts">
          <div className="fact">
            <dt>{t('artifacts.tags')}</dt>
            <dd>
              {artifact && artifact.tags.length > 0 ? (
                <ul className="chips" aria-label={t('artifacts.tags')}>
                  {artifact.tags.map((tag) => (
                    <li key={tag}>
                      <Badge tone="info">{tag}</Badge>
                    </li>
                  ))}
                </ul>
              ) : (
                <span className="muted">{t('artifacts.untagged')}</span>
              )}
            </dd>
          </div>
          <div className="fact fact-wide">
            <dt>{t('artifacts.digest')}</dt>
            <dd className="digest">
              <code className="mono-wrap" data-testid="details-digest">
                {digest}
              </code>
              <CopyButton value={digest} label={t('artifacts.copyDigest', { digest: shortDigest(digest) })} />
            </dd>
          </div>
          <div className="fact">
            <dt>{t('artifacts.mediaType')}</dt>
            <dd className="mono-wrap small" data-testid="details-media-type">
              {manifest.data?.mediaType ?? artifact?.mediaType ?? '—'}
            </dd>
          </div>
          {artifact && (
            <>
              <div className="fact">
                <dt>{t('artifacts.size')}</dt>
                <dd>
                  <ByteSize bytes={artifact.size} />
                </dd>
              </div>
              <div className="fact">
                <dt>{t('artifacts.pushedAt')}</dt>
                <dd>
                  <RelativeTime value={artifact.pushedAt} />
                </dd>
              </div>
              <div className="fact">
                <dt>{t('artifacts.pulledAt')}</dt>
                <dd>
                  <RelativeTime value={artifact.pulledAt} />
                </dd>
              </div>
              <div className="fact">
                <dt>{t('artifacts.pullCount')}</dt>
                <dd className="num">{formatNumber(artifact.pullCount, i18n.language)}</dd>
              </div>
            </>
          )}
        </dl>
      </section>

      <ManifestSection id="details-manifest" query={manifest} fileName={manifestFileName(image, fileReference)} />

      {children.length > 0 && (
        <section aria-labelledby="details-children">
          <h3 id="details-children" className="command-section-title">
            {t('details.children', { count: children.length })}
          </h3>
          <ChildManifestsTable parentDigest={digest} items={children} className="table table-nested table-compact" />
        </section>
      )}

      <section aria-labelledby="details-config">
        <div className="section-head">
          <h3 id="details-config" className="command-section-title">
            {t('details.config')}
          </h3>
          {children.length > 0 && (
            <SelectField
              label={t('details.configOf')}
              value={child}
              onChange={(e) => setPicked(e.target.value)}
              className="input-sm"
              options={children.map((c) => ({ value: c.digest, label: c.platform ? platformLabel(c.platform) : shortDigest(c.digest) }))}
            />
          )}
        </div>
        {isIndex && children.length === 0 ? (
          <p className="muted">{t('details.noConfig')}</p>
        ) : (
          <ImageConfigPanel repository={repository} image={image} reference={children.length > 0 ? child : digest} />
        )}
      </section>
    </div>
  );
}
