import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import { useTranslation } from 'react-i18next';
import type { RepositoryUser } from '@berth/api';
import { MoreIcon } from '@/components/ui/icons';

export type UserAction = 'rotate' | 'disable' | 'enable' | 'delete';

/**
 * The per-user actions (Rotate secret, Disable/Enable, Delete) behind one "Actions" button.
 * The menu is not portalled, so it stays inside the page's main landmark.
 */
export function UserActionsMenu({ user, onAction }: { user: RepositoryUser; onAction: (action: UserAction, user: RepositoryUser) => void }) {
  const { t } = useTranslation();
  return (
    <DropdownMenu.Root modal={false}>
      <DropdownMenu.Trigger className="btn btn-ghost btn-sm" aria-label={t('users.actionsFor', { name: user.name })}>
        <MoreIcon />
      </DropdownMenu.Trigger>
      <DropdownMenu.Content className="menu" align="end" sideOffset={4}>
        <DropdownMenu.Item className="menu-item" onSelect={() => onAction('rotate', user)}>
          {t('users.rotate')}
        </DropdownMenu.Item>
        {user.disabled ? (
          <DropdownMenu.Item className="menu-item" onSelect={() => onAction('enable', user)}>
            {t('users.enable')}
          </DropdownMenu.Item>
        ) : (
          <DropdownMenu.Item className="menu-item" onSelect={() => onAction('disable', user)}>
            {t('users.disable')}
          </DropdownMenu.Item>
        )}
        <DropdownMenu.Separator className="menu-separator" />
        <DropdownMenu.Item className="menu-item menu-item-danger" onSelect={() => onAction('delete', user)}>
          {t('users.delete')}
        </DropdownMenu.Item>
      </DropdownMenu.Content>
    </DropdownMenu.Root>
  );
}
