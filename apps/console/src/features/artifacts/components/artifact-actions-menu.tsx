import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import { useTranslation } from 'react-i18next';
import type { Artifact } from '@berth/api';
import { MoreIcon } from '@/components/ui/icons';
import { shortDigest } from '@/lib/format';

export type ArtifactAction = 'pull' | 'details';

/** An artifact row's actions behind one button; not portalled, so it stays in the main landmark. */
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
    <DropdownMenu.Root modal={false}>
      <DropdownMenu.Trigger className="btn btn-ghost btn-sm" aria-label={t('artifacts.actionsFor', { digest: shortDigest(artifact.digest) })}>
        <MoreIcon />
      </DropdownMenu.Trigger>
      <DropdownMenu.Content className="menu" align="end" sideOffset={4}>
        {actions.map((action) => (
          <DropdownMenu.Item key={action} className="menu-item" onSelect={() => onAction(action, artifact)}>
            {t(`artifacts.action.${action}`)}
          </DropdownMenu.Item>
        ))}
      </DropdownMenu.Content>
    </DropdownMenu.Root>
  );
}
