import { Fragment } from 'react';
import { useTranslation } from '@/lib/use-translation';
import type { Artifact } from '@berth/api';
import { RowMenu, RowMenuItem, RowMenuSeparator } from '@/components/ui/row-menu';
import { shortDigest } from '@/lib/format';

export type ArtifactAction = 'pull' | 'details' | 'delete';

/** An artifact row's actions behind one button; Delete (admins) last, set apart, and "Retry delete" for an Inactive artifact. */
export function ArtifactActionsMenu({
  artifact,
  actions,
  onAction,
}: {
  artifact: Artifact;
  actions: readonly ArtifactAction[];
  onAction: (action: ArtifactAction, artifact: Artifact) => void;
}) {
  const { t } = useTranslation();
  return (
    <RowMenu
      label={t('artifacts.actionsFor', { digest: shortDigest(artifact.digest) })}
      items={() =>
        actions.map((action) =>
          action === 'delete' ? (
            <Fragment key={action}>
              <RowMenuSeparator className="menu-separator" />
              <RowMenuItem className="menu-item menu-item-danger" onSelect={() => onAction(action, artifact)}>
                {t(artifact.status === 'Inactive' ? 'artifacts.action.retryDelete' : 'artifacts.action.delete')}
              </RowMenuItem>
            </Fragment>
          ) : (
            <RowMenuItem key={action} className="menu-item" onSelect={() => onAction(action, artifact)}>
              {t(`artifacts.action.${action}`)}
            </RowMenuItem>
          ),
        )
      }
    />
  );
}
