import { useId, useState } from 'react';
import { useTranslation } from '@/lib/use-translation';
import type { Artifact } from '@berth/api';
import { CommandList } from '@/components/ui/command-list';
import { Dialog } from '@/components/ui/dialog';
import { shortDigest } from '@/lib/format';
import { pullCommands, pullReferences } from './pull-commands';

export interface PullCommandDialogProps {
  repository: string;
  image: string;
  host: string;
  /** The artifact whose commands are shown; null closes the dialog. */
  artifact: Artifact | null;
  onClose: () => void;
}

/** docker and podman pull commands of one artifact: by digest (default) or by one of its tags. */
export function PullCommandDialog({ repository, image, host, artifact, onClose }: PullCommandDialogProps) {
  const { t } = useTranslation();
  const id = useId();
  const [selected, setSelected] = useState(0);
  const references = artifact ? pullReferences(artifact) : [];
  const reference = references[selected] ?? references[0];
  return (
    <Dialog
      open={artifact !== null}
      onOpenChange={(open) => !open && onClose()}
      title={t('pull.title', { image })}
      description={artifact ? t('pull.description', { digest: shortDigest(artifact.digest) }) : undefined}
      size="lg"
    >
      {artifact && reference && (
        <div className="command-sections">
          <fieldset className="choice-group">
            <legend className="command-section-title">{t('pull.by')}</legend>
            {references.map((r, i) => (
              <label key={`${r.kind}:${r.value}`} className="choice" htmlFor={`${id}-${i}`}>
                <input type="radio" id={`${id}-${i}`} name={`${id}-ref`} checked={i === selected} onChange={() => setSelected(i)} />
                {r.kind === 'digest' ? (
                  <span>
                    {t('pull.byDigest')} <code className="mono small">{shortDigest(r.value)}</code>
                  </span>
                ) : (
                  <span>
                    {t('pull.byTag')} <code className="mono small">{r.value}</code>
                  </span>
                )}
              </label>
            ))}
          </fieldset>
          <CommandList
            testId="pull-commands"
            items={pullCommands(host, repository, image, reference).map((c) => ({
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
