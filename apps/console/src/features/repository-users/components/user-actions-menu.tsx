import { useTranslation } from '@/lib/use-translation';
import type { RepositoryUser } from '@berth/api';
import { RowMenu, RowMenuItem, RowMenuSeparator } from '@/components/ui/row-menu';

export type UserAction = 'rotate' | 'disable' | 'enable' | 'delete';

/** The per-user actions (Rotate secret, Disable/Enable, Delete) behind one "Actions" button. */
export function UserActionsMenu({ user, onAction }: { user: RepositoryUser; onAction: (action: UserAction, user: RepositoryUser) => void }) {
  const { t } = useTranslation();
  return (
    <RowMenu
      label={t('users.actionsFor', { name: user.name })}
      items={() => (
        <>
          <RowMenuItem className="menu-item" onSelect={() => onAction('rotate', user)}>
            {t('users.rotate')}
          </RowMenuItem>
          {user.disabled ? (
            <RowMenuItem className="menu-item" onSelect={() => onAction('enable', user)}>
              {t('users.enable')}
            </RowMenuItem>
          ) : (
            <RowMenuItem className="menu-item" onSelect={() => onAction('disable', user)}>
              {t('users.disable')}
            </RowMenuItem>
          )}
          <RowMenuSeparator className="menu-separator" />
          <RowMenuItem className="menu-item menu-item-danger" onSelect={() => onAction('delete', user)}>
            {t('users.delete')}
          </RowMenuItem>
        </>
      )}
    />
  );
}
