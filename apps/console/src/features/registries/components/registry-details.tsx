import { useTranslation } from '@/lib/use-translation';
import type { Registry } from '@berth/api';
import { FactList } from '@/components/ui/fact-list';

/** What Berth knows of one registry: kind, engine, the host people push to, the URL Berth reaches it at. */
export function RegistryDetails({ registry }: { registry: Registry }) {
  const { t } = useTranslation();
  return (
    <section className="details-card" aria-labelledby="registry-details-heading">
      <h2 id="registry-details-heading" className="section-title">
        {t('registries.details')}
      </h2>
      <FactList
        className="facts-rows"
        facts={[
          { label: t('fields.name'), value: registry.name, testId: 'registry-name' },
          { label: t('registries.kind'), value: t(`registries.kinds.${registry.kind}`), testId: 'registry-kind' },
          { label: t('registries.engine'), value: t(`registries.engines.${registry.engine}`), testId: 'registry-engine' },
          { label: t('registries.publicHost'), value: <code className="mono-wrap">{registry.publicHost}</code>, testId: 'registry-public-host' },
          { label: t('registries.url'), value: <code className="mono-wrap">{registry.url}</code>, testId: 'registry-url' },
        ]}
      />
    </section>
  );
}
