import { useTranslation } from '@/lib/use-translation';
import type { Artifact } from '@berth/api';
import { RowMenu, RowMenuItem } from '@/components/ui/row-menu';
import { shortDigest } from '@/lib/format';

export type ArtifactAction = 'pull' | 'details';

/** An artifact row's actions behind one button. */
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
        actions.map((action) => (
          <RowMenuItem key={action} className="menu-item" onSelect={() => onAction(action, artifact)}>
            {t(`artifacts.action.${action}`)}
          </RowMenuItem>
        ))
      }
    />
  );
}
