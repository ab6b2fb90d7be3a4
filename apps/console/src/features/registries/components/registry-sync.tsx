import { useTranslation } from '@/lib/use-translation';
import type { LastSync, SyncResult } from '@berth/api';
import { Button } from '@/components/ui/button';
import { FactList } from '@/components/ui/fact-list';
import { FormError } from '@/components/ui/field';
import { formatNumber } from '@/lib/format';
import { toast } from '@/lib/toast';
import { useSyncRegistry } from '../api/sync-registry';
import { ActionCard, latestReport, RunReport } from './action-card';

const COUNTS = ['repositories', 'images', 'artifacts', 'tags', 'removedTags', 'removedArtifacts'] as const satisfies readonly (keyof SyncResult)[];

/**
 * "Sync now" (admins): reconcile Berth's index with the registry, then show what it imported
 * and removed. `last` is the registry's last sync (scheduled or not), shown until one is run here.
 */
export function RegistrySync({ name, last, onSynced }: { name: string; last: LastSync | null; onSynced?: () => unknown }) {
  const { t, i18n } = useTranslation();
  const sync = useSyncRegistry(name, { onSynced });
  const report = latestReport(last && { ...last, value: last.result }, { value: sync.data, at: sync.submittedAt });
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
      {report && (
        <RunReport title={t('registries.sync.result')} testId="sync-result" ran={report.ran}>
          <FactList
            facts={COUNTS.map((key) => ({
              label: t(`registries.sync.${key}`),
              value: <span className="num">{formatNumber(report.value[key], i18n.language)}</span>,
              testId: `sync-${key}`,
            }))}
          />
        </RunReport>
      )}
    </ActionCard>
  );
}
