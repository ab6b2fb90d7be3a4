import { useTranslation } from '@/lib/use-translation';
import type { Tag } from '@berth/api';
import { RowMenu, RowMenuItem, RowMenuSeparator } from '@/components/ui/row-menu';

export type TagAction = 'pull' | 'lock' | 'unlock' | 'delete';

/** A row menu entry another feature adds (the page composes them): a label and what it does. */
export interface TagExtraAction {
  id: string;
  label: string;
  onSelect: () => void;
}

/**
 * A tag row's actions behind one button: Copy pull command; the entries the page adds (a
 * vulnerability check, its results); for admins, Lock/Unlock (of an Active tag: on one being
 * deleted, or whose delete failed, only delete may be retried) and Delete.
 */
export function TagActionsMenu({
  tag,
  canPull,
  canEdit,
  onAction,
  extra,
}: {
  tag: Tag;
  canPull: boolean;
  canEdit: boolean;
  onAction: (action: TagAction, tag: Tag) => void;
  extra?: () => TagExtraAction[];
}) {
  const { t } = useTranslation();
  return (
    <RowMenu
      label={t('tags.actionsFor', { tag: tag.name })}
      items={() => (
        <>
          {canPull && (
            <RowMenuItem className="menu-item" onSelect={() => onAction('pull', tag)}>
              {t('tags.action.pull')}
            </RowMenuItem>
          )}
          {extra?.().map((item) => (
            <RowMenuItem key={item.id} className="menu-item" onSelect={item.onSelect}>
              {item.label}
            </RowMenuItem>
          ))}
          {canEdit && (
            <>
              {tag.status === 'Active' && (
                <RowMenuItem className="menu-item" onSelect={() => onAction(tag.locked ? 'unlock' : 'lock', tag)}>
                  {t(tag.locked ? 'tags.action.unlock' : 'tags.action.lock')}
                </RowMenuItem>
              )}
              <RowMenuSeparator className="menu-separator" />
              <RowMenuItem className="menu-item menu-item-danger" onSelect={() => onAction('delete', tag)}>
                {t(tag.status === 'Inactive' ? 'tags.action.retryDelete' : 'tags.action.delete')}
              </RowMenuItem>
            </>
          )}
        </>
      )}
    />
  );
}
