import { useTranslation } from '@/lib/use-translation';
import type { Registry } from '@berth/api';
import { FactList, type Fact } from '@/components/ui/fact-list';
import { LastTestBadge } from './last-test-badge';

/** What Berth knows of one registry: type, mode, the host people pull from, the URL Berth reaches it at, and for an external one its account and last test. */
export function RegistryDetails({ registry }: { registry: Registry }) {
  const { t } = useTranslation();
  const facts: Fact[] = [
    { label: t('fields.name'), value: registry.name, testId: 'registry-name' },
    { label: t('registries.kind'), value: t(`registries.kinds.${registry.kind}`), testId: 'registry-kind' },
    { label: t('registries.type'), value: t(`registries.types.${registry.type}`), testId: 'registry-type' },
  ];
  if (registry.engine) facts.push({ label: t('registries.engine'), value: t(`registries.engines.${registry.engine}`), testId: 'registry-engine' });
  facts.push(
    { label: t('registries.mode'), value: t(`registries.modes.${registry.mode}`), testId: 'registry-mode' },
    { label: t('registries.publicHost'), value: <code className="mono-wrap">{registry.publicHost}</code>, testId: 'registry-public-host' },
    { label: t('registries.urlBerth'), value: <code className="mono-wrap">{registry.url}</code>, testId: 'registry-url' },
  );
  if (registry.kind === 'external') {
    facts.push(
      { label: t('registries.account'), value: registry.username ? <code className="mono-wrap">{registry.username}</code> : t('registries.anonymous'), testId: 'registry-account' },
      { label: t('registries.repository'), value: registry.repository ?? t('registries.allRepositories'), testId: 'registry-repository' },
      { label: t('registries.lastTest'), value: <LastTestBadge test={registry.lastTest} />, testId: 'registry-last-test' },
    );
  }
  return (
    <section className="details-card" aria-labelledby="registry-details-heading">
      <h2 id="registry-details-heading" className="section-title">
        {t('registries.details')}
      </h2>
      <FactList className="facts-rows" facts={facts} />
      {registry.kind === 'external' && registry.lastTest && !registry.lastTest.ok && (
        <p className="muted small" data-testid="registry-last-test-message">
          {registry.lastTest.message}
        </p>
      )}
    </section>
  );
}
