import { useId, useState } from 'react';
import { useTranslation } from '@/lib/use-translation';
import type { ExternalTag } from '@berth/api';
import { CommandList } from '@/components/ui/command-list';
import { Dialog } from '@/components/ui/dialog';
import { shortDigest } from '@/lib/format';
import { externalPullCommands } from '../lib/external';

/**
 * docker and podman pull commands of one tag of an external image, straight from that registry:
 * by tag (default) or by the digest it points at now.
 */
export function ExternalPullDialog({ host, fullName, tag, onClose }: { host: string; fullName: string; tag: ExternalTag | null; onClose: () => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [byDigest, setByDigest] = useState(false);
  const ref = tag && (byDigest ? { digest: tag.digest } : { tag: tag.name });
  return (
    <Dialog
      open={tag !== null}
      onOpenChange={(open) => !open && onClose()}
      title={t('pull.title', { image: tag ? `${fullName}:${tag.name}` : fullName })}
      description={tag ? t('pull.description', { digest: shortDigest(tag.digest) }) : undefined}
      size="lg"
    >
      {tag && ref && (
        <div className="command-sections">
          <fieldset className="choice-group">
            <legend className="command-section-title">{t('pull.by')}</legend>
            <label className="choice" htmlFor={`${id}-tag`}>
              <input type="radio" id={`${id}-tag`} name={`${id}-ref`} checked={!byDigest} onChange={() => setByDigest(false)} />
              <span>
                {t('pull.byTag')} <code className="mono small">{tag.name}</code>
              </span>
            </label>
            <label className="choice" htmlFor={`${id}-digest`}>
              <input type="radio" id={`${id}-digest`} name={`${id}-ref`} checked={byDigest} onChange={() => setByDigest(true)} />
              <span>
                {t('pull.byDigest')} <code className="mono small">{shortDigest(tag.digest)}</code>
              </span>
            </label>
          </fieldset>
          <CommandList
            testId="pull-commands"
            items={externalPullCommands(host, fullName, ref).map((c) => ({
              label: t(`pull.client.${c.client}`),
              command: c.command,
              copyLabel: t('pull.copy', { client: t(`pull.client.${c.client}`) }),
            }))}
          />
        </div>
      )}
    </Dialog>
  );
}
