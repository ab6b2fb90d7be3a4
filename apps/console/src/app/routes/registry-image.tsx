import { lazy, useState } from 'react';
import { useTranslation } from '@/lib/use-translation';
import { useParams } from 'react-router';
import { Button } from '@/components/ui/button';
import { ClientSuspense } from '@/components/ui/client-suspense';
import { CommandLine } from '@/components/ui/command-line';
import { ErrorState } from '@/components/ui/error-state';
import { PageHeader } from '@/components/ui/page-header';
import { Spinner } from '@/components/ui/spinner';
import { useRegistry } from '@/features/registries/api/get-registry';
import { ExternalTagsList } from '@/features/registries/components/external-tags-list';
import { fullImageName, TOP_LEVEL } from '@/features/registries/lib/external';
import { paths } from '@/lib/paths';
import { useDocumentTitle } from '@/lib/use-document-title';
import { imageName } from '../loaders';

const ExternalPushDialog = lazy(() => import('@/features/registries/components/external-push-dialog').then((m) => ({ default: m.ExternalPushDialog })));

/** /registries/:registry/repositories/:repository/images/<name…>: the tags of an image of an external registry, read-only. */
export function Component() {
  const { t } = useTranslation();
  const params = useParams();
  const name = params.registry ?? '';
  const repository = params.repository ?? '';
  const image = imageName(params);
  const fullName = fullImageName(repository, image);
  const registry = useRegistry(name);
  const [pushOpen, setPushOpen] = useState(false);
  const canPush = registry.data?.capabilities.includes('push') ?? false;
  useDocumentTitle(`${name}/${fullName} · ${t('registries.title')}`);

  return (
    <div className="page">
      <PageHeader
        title={image}
        breadcrumbLabel={t('nav.breadcrumb')}
        crumbs={[
          { label: t('registries.title'), to: paths.registries },
          { label: name, to: paths.registry(name) },
          { label: repository === TOP_LEVEL ? t('registries.browse.topLevel') : repository, to: paths.registryRepository(name, repository) },
          { label: image },
        ]}
        actions={
          canPush && (
            <Button onClick={() => setPushOpen(true)} aria-haspopup="dialog" data-testid="external-push-command">
              {t('images.pushCommand')}
            </Button>
          )
        }
      >
        {registry.data && (
          <CommandLine
            label={t('images.pullCommand')}
            command={`docker pull ${registry.data.publicHost}/${fullName}`}
            copyLabel={t('images.copyPullCommand')}
            testId="external-pull-command"
          />
        )}
      </PageHeader>
      {registry.isPending ? (
        <Spinner block />
      ) : registry.isError ? (
        <ErrorState error={registry.error} onRetry={() => void registry.refetch()} />
      ) : (
        <ExternalTagsList registry={name} repository={repository} image={image} publicHost={registry.data.publicHost} fullName={fullName} />
      )}
      {registry.data && canPush && pushOpen && (
        <ClientSuspense>
          <ExternalPushDialog host={registry.data.publicHost} target={fullName} username={registry.data.username} open={pushOpen} onOpenChange={setPushOpen} />
        </ClientSuspense>
      )}
    </div>
  );
}
