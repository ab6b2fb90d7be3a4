import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from '@/lib/use-translation';
import { useNavigate, useParams } from 'react-router';
import type { RegistryDetail } from '@berth/api';
import { PageHeader } from '@/components/ui/page-header';
import { ErrorState } from '@/components/ui/error-state';
import { Spinner } from '@/components/ui/spinner';
import { artifactKeys } from '@/features/artifacts/api/keys';
import { imageKeys } from '@/features/images/api/keys';
import { useRegistry } from '@/features/registries/api/get-registry';
import { registryKeys } from '@/features/registries/api/keys';
import { DeleteRegistrySection, RegistryConnection } from '@/features/registries/components/external-registry-actions';
import { ExternalRepositoriesList } from '@/features/registries/components/external-repositories-list';
import { RegistryDetails } from '@/features/registries/components/registry-details';
import { RegistryGc } from '@/features/registries/components/registry-gc';
import { RegistrySync } from '@/features/registries/components/registry-sync';
import { repositoryKeys } from '@/features/repositories/api/keys';
import { paths } from '@/lib/paths';
import { useDocumentTitle } from '@/lib/use-document-title';
import { useCanEdit } from '../session';

/**
 * /registries/:registry: the registry's details. The managed one: admins sync it and (embedded
 * engine) collect its garbage. An external one: admins test its connection, change its account
 * or delete it; everyone browses its repositories.
 */
export function Component() {
  const { t } = useTranslation();
  const name = useParams().registry ?? '';
  const query = useRegistry(name);
  useDocumentTitle(`${name} · ${t('registries.title')}`);

  const registry = query.data;
  return (
    <div className="page">
      <PageHeader title={name} crumbs={[{ label: t('registries.title'), to: paths.registries }, { label: name }]} breadcrumbLabel={t('nav.breadcrumb')} />
      {query.isPending ? (
        <Spinner block />
      ) : query.isError ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        registry && (registry.kind === 'managed' ? <ManagedRegistry registry={registry} /> : <ExternalRegistry registry={registry} />)
      )}
    </div>
  );
}

function ManagedRegistry({ registry }: { registry: RegistryDetail }) {
  const canEdit = useCanEdit();
  const queryClient = useQueryClient();
  // A sync or a sweep of untagged manifests changes what the repository, image and artifact lists show.
  const refreshContent = () =>
    Promise.all([repositoryKeys.all, imageKeys.all, artifactKeys.all].map((queryKey) => queryClient.invalidateQueries({ queryKey })));
  // The registry keeps its last sync and collection: read them again once one has run here.
  const refreshRegistry = () => queryClient.invalidateQueries({ queryKey: registryKeys.detail(registry.name) });
  return (
    <div className="details-stack">
      <RegistryDetails registry={registry} />
      {canEdit && <RegistrySync name={registry.name} last={registry.lastSync} onSynced={() => Promise.all([refreshContent(), refreshRegistry()])} />}
      {canEdit && registry.engine === 'embedded' && (
        <RegistryGc name={registry.name} last={registry.lastGc} onCollected={(r) => Promise.all([refreshRegistry(), r.manifests > 0 && refreshContent()])} />
      )}
    </div>
  );
}

function ExternalRegistry({ registry }: { registry: RegistryDetail }) {
  const canEdit = useCanEdit();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  // The registry is gone: back to the list, then forget what was kept of it.
  const onDeleted = async () => {
    await navigate(paths.registries);
    for (const queryKey of [registryKeys.detail(registry.name), registryKeys.browse(registry.name)]) queryClient.removeQueries({ queryKey });
  };
  return (
    <div className="details-stack">
      <RegistryDetails registry={registry} />
      {canEdit && <RegistryConnection registry={registry} />}
      <ExternalRepositoriesList registry={registry.name} />
      {canEdit && <DeleteRegistrySection registry={registry} onDeleted={onDeleted} />}
    </div>
  );
}
