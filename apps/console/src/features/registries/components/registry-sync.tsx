import { useTranslation } from '@/lib/use-translation';
import type { SyncResult } from '@berth/api';
import { Button } from '@/components/ui/button';
import { FactList } from '@/components/ui/fact-list';
import { FormError } from '@/components/ui/field';
import { formatNumber } from '@/lib/format';
import { toast } from '@/lib/toast';
import { useSyncRegistry } from '../api/sync-registry';
import { ActionCard, RunReport } from './action-card';

const COUNTS = ['repositories', 'images', 'artifacts', 'tags', 'removedTags', 'removedArtifacts'] as const satisfies readonly (keyof SyncResult)[];

/** "Sync now" (admins): reconcile Berth's index with the registry, then show what it imported and removed. */
export function RegistrySync({ name, onSynced }: { name: string; onSynced?: () => unknown }) {
  const { t, i18n } = useTranslation();
  const sync = useSyncRegistry(name, { onSynced });
  const onSync = () => sync.mutate(undefined, { onSuccess: () => toast.success(t('registries.sync.done')) });

  return (
    <ActionCard
      title={t('registries.sync.title')}
      body={t('registries.sync.body')}
      action={
        <Button variant="primary" onClick={onSync} busy={sync.isPending}>
          {t('registries.sync.action')}
        </Button>
      }
    >
      <FormError>{sync.error?.message}</FormError>
      {/* The toast announces the end; the counts stay here. */}
      {sync.data && (
        <RunReport title={t('registries.sync.result')} testId="sync-result">
          <FactList
            facts={COUNTS.map((key) => ({
              label: t(`registries.sync.${key}`),
              value: <span className="num">{formatNumber(sync.data[key], i18n.language)}</span>,
              testId: `sync-${key}`,
            }))}
          />
        </RunReport>
      )}
    </ActionCard>
  );
}
