import { lazy, useMemo, useRef, useState } from 'react';
import { useTranslation } from '@/lib/use-translation';
import { getCoreRowModel, useReactTable, type ColumnDef } from '@tanstack/react-table';
import type { RepositoryUser, RepositoryUserWithSecret } from '@berth/api';
import { ClientSuspense } from '@/components/ui/client-suspense';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { DataTable } from '@/components/ui/data-table';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorState } from '@/components/ui/error-state';
import { RelativeTime } from '@/components/ui/relative-time';
import { Spinner } from '@/components/ui/spinner';
import { toast } from '@/lib/toast';
import { useDeleteRepositoryUser } from '../api/delete-repository-user';
import { useRepositoryUsers } from '../api/get-repository-users';
import { useRotateRepositoryUser } from '../api/rotate-repository-user';
import { useUpdateRepositoryUser } from '../api/update-repository-user';
import { UserActionsMenu, type UserAction } from './user-actions-menu';

// Dialog code loads when a dialog opens, not with the page.
const CreateRepositoryUserDialog = lazy(() => import('./create-repository-user-dialog').then((m) => ({ default: m.CreateRepositoryUserDialog })));
const loadSecretDialog = () => import('./secret-dialog');
const SecretDialog = lazy(() => loadSecretDialog().then((m) => ({ default: m.SecretDialog })));
const ConfirmDialog = lazy(() => import('@/components/ui/confirm-dialog').then((m) => ({ default: m.ConfirmDialog })));

const STATUS_TONE: Record<RepositoryUser['status'], BadgeTone> = { active: 'success', disabled: 'neutral', expired: 'warning' };
const PERMISSION_TONE: Record<RepositoryUser['permission'], BadgeTone> = { pull: 'neutral', push: 'info', delete: 'warning' };

export interface RepositoryUsersPanelProps {
  repository: string;
  /** Admins create, rotate, disable and delete; viewers only read. */
  canManage: boolean;
  /** The registry host for the `docker login` command. */
  publicHost: string;
}

/** The Users tab: the repository's robot credentials and, for admins, their life cycle. */
export function RepositoryUsersPanel({ repository, canManage, publicHost }: RepositoryUsersPanelProps) {
  const { t } = useTranslation();
  const query = useRepositoryUsers(repository);
  const update = useUpdateRepositoryUser(repository);
  const rotate = useRotateRepositoryUser(repository);
  const remove = useDeleteRepositoryUser(repository);
  const [creating, setCreating] = useState(false);
  const [revealed, setRevealed] = useState<RepositoryUserWithSecret | null>(null);
  const [confirm, setConfirm] = useState<{ action: 'rotate' | 'delete'; user: RepositoryUser } | null>(null);

  const onAction = (action: UserAction, user: RepositoryUser) => {
    if (action === 'rotate') void loadSecretDialog();
    if (action === 'rotate' || action === 'delete') {
      setConfirm({ action, user });
      return;
    }
    update.mutate(
      { user: user.name, body: { disabled: action === 'disable' } },
      { onSuccess: () => toast.success(t(action === 'disable' ? 'users.disabled' : 'users.enabled', { name: user.name })) },
    );
  };

  // The memoized columns call the latest handler.
  const onActionRef = useRef(onAction);
  onActionRef.current = onAction;

  const onConfirm = () => {
    if (!confirm) return;
    const { action, user } = confirm;
    if (action === 'rotate') {
      rotate.mutate(user.name, {
        onSuccess: (withSecret) => {
          setConfirm(null);
          setRevealed(withSecret);
        },
      });
    } else {
      remove.mutate(user.name, {
        onSuccess: () => {
          setConfirm(null);
          toast.success(t('users.deleted', { name: user.name }));
        },
      });
    }
  };

  const columns = useMemo<ColumnDef<RepositoryUser>[]>(() => {
    const cols: ColumnDef<RepositoryUser>[] = [
      { id: 'name', header: t('fields.name'), cell: ({ row }) => <span className="strong">{row.original.name}</span> },
      {
        id: 'permission',
        header: t('fields.permission'),
        meta: { width: '7.5rem' },
        cell: ({ row }) => <Badge tone={PERMISSION_TONE[row.original.permission]}>{t(`permissions.${row.original.permission}`)}</Badge>,
      },
      {
        id: 'status',
        header: t('fields.status'),
        meta: { width: '7.5rem' },
        cell: ({ row }) => <Badge tone={STATUS_TONE[row.original.status]}>{t(`users.status.${row.original.status}`)}</Badge>,
      },
      { id: 'createdAt', header: t('fields.created'), meta: { width: '10rem' }, cell: ({ row }) => <RelativeTime value={row.original.createdAt} /> },
      { id: 'lastUsedAt', header: t('users.lastUsed'), meta: { width: '10rem' }, cell: ({ row }) => <RelativeTime value={row.original.lastUsedAt} /> },
      {
        id: 'expiresAt',
        header: t('users.expires'),
        meta: { width: '9rem' },
        cell: ({ row }) => <RelativeTime value={row.original.expiresAt} fallback={t('users.noExpiry')} />,
      },
    ];
    if (canManage) {
      cols.push({
        id: 'actions',
        header: () => <span className="visually-hidden">{t('common.actions')}</span>,
        meta: { align: 'end', width: '4rem' },
        cell: ({ row }) => <UserActionsMenu user={row.original} onAction={(a, u) => onActionRef.current(a, u)} />,
      });
    }
    return cols;
  }, [t, canManage]);

  const users = query.data ?? [];
  const table = useReactTable({ data: users, columns, getCoreRowModel: getCoreRowModel(), getRowId: (u) => u.name });

  let body;
  if (query.isPending) body = <Spinner block />;
  else if (query.isError) body = <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  else if (users.length === 0)
    body = <EmptyState title={t('users.empty')}>{canManage ? t('users.emptyAdmin', { repository }) : t('users.emptyViewer')}</EmptyState>;
  else body = <DataTable table={table} caption={t('users.caption', { repository })} />;

  const busy = confirm?.action === 'rotate' ? rotate.isPending : remove.isPending;

  return (
    <section aria-busy={query.isFetching || undefined}>
      <div className="toolbar">
        <p className="muted toolbar-text">{t('users.intro', { repository })}</p>
        {canManage && (
          <Button
            variant="primary"
            onClick={() => {
              void loadSecretDialog(); // shown right after the user is created
              setCreating(true);
            }}
          >
            {t('users.new')}
          </Button>
        )}
      </div>
      {body}
      {canManage && (
        <ClientSuspense>
          {creating && <CreateRepositoryUserDialog repository={repository} open={creating} onOpenChange={setCreating} onCreated={setRevealed} />}
          {confirm && (
            <ConfirmDialog
              open
              onOpenChange={(open) => !open && setConfirm(null)}
              title={t(confirm.action === 'rotate' ? 'users.rotateTitle' : 'users.deleteTitle', { name: confirm.user.name })}
              confirmLabel={confirm.action === 'rotate' ? t('users.rotate') : t('users.delete')}
              onConfirm={onConfirm}
              busy={busy}
              danger
            >
              {confirm.action === 'rotate' ? t('users.rotateBody') : t('users.deleteBody', { repository })}
            </ConfirmDialog>
          )}
          {revealed && <SecretDialog user={revealed} publicHost={publicHost} onClose={() => setRevealed(null)} />}
        </ClientSuspense>
      )}
    </section>
  );
}
