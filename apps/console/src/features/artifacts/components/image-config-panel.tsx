import type { ReactNode } from 'react';
import { useTranslation } from '@/lib/use-translation';
import type { ImageConfigSummary } from '@berth/api';
import { Badge } from '@/components/ui/badge';
import { ByteSize } from '@/components/ui/byte-size';
import { ErrorState } from '@/components/ui/error-state';
import { RelativeTime } from '@/components/ui/relative-time';
import { Spinner } from '@/components/ui/spinner';
import { isApiError } from '@/lib/api-client';
import { shortDigest } from '@/lib/format';
import { useManifestConfig } from '../api/get-manifest-config';

const commandText = (value: string[] | null) => (value && value.length > 0 ? value.join(' ') : null);

/** The config of one image manifest: platform, command, env (secrets hidden), labels, history with layer sizes. */
export function ImageConfigPanel({ repository, image, reference }: { repository: string; image: string; reference: string }) {
  const { t } = useTranslation();
  const query = useManifestConfig(repository, image, reference);
  if (query.isPending) return <Spinner block />;
  if (query.isError) {
    if (isApiError(query.error) && query.error.code === 'CONFIG_NOT_FOUND') return <p className="muted">{t('details.noConfig')}</p>;
    return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  }
  return <ConfigSummary config={query.data} />;
}

function ConfigSummary({ config }: { config: ImageConfigSummary }) {
  const { t } = useTranslation();
  const platform = [config.os, config.architecture, config.variant].filter(Boolean).join('/');
  const labels = Object.entries(config.labels);
  const facts: [string, ReactNode][] = [
    [t('details.created'), <RelativeTime key="c" value={config.created} fallback={t('details.unknown')} />],
    [t('artifacts.platform'), platform || <span className="muted">{t('details.unknown')}</span>],
    [t('details.entrypoint'), commandText(config.entrypoint)],
    [t('details.cmd'), commandText(config.cmd)],
    [t('details.workingDir'), config.workingDir],
    [t('details.user'), config.user],
    [t('details.ports'), config.exposedPorts.length > 0 ? config.exposedPorts.join(', ') : null],
    [t('details.author'), config.author],
  ];
  return (
    <div className="details-stack">
      <dl className="facts">
        {facts.map(([label, value]) => (
          <div key={label} className="fact">
            <dt>{label}</dt>
            <dd className={typeof value === 'string' ? 'mono-wrap' : undefined}>{value ?? <span className="muted">—</span>}</dd>
          </div>
        ))}
      </dl>

      <h4 className="subsection-title">{t('details.env')}</h4>
      {config.env.length === 0 ? (
        <p className="muted">{t('details.none')}</p>
      ) : (
        <table className="table table-nested table-compact">
          <caption className="visually-hidden">{t('details.env')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('fields.name')}</th>
              <th scope="col">{t('details.value')}</th>
            </tr>
          </thead>
          <tbody>
            {config.env.map((v) => (
              <tr key={v.name} data-testid="env-row">
                <th scope="row" className="mono-wrap">
                  {v.name}
                </th>
                <td className="mono-wrap">
                  {v.masked ? <Badge tone="warning" title={t('details.maskedHint')}>{t('details.masked')}</Badge> : v.value}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h4 className="subsection-title">{t('details.labels')}</h4>
      {labels.length === 0 ? (
        <p className="muted">{t('details.none')}</p>
      ) : (
        <table className="table table-nested table-compact">
          <caption className="visually-hidden">{t('details.labels')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('details.key')}</th>
              <th scope="col">{t('details.value')}</th>
            </tr>
          </thead>
          <tbody>
            {labels.map(([k, v]) => (
              <tr key={k}>
                <th scope="row" className="mono-wrap">
                  {k}
                </th>
                <td className="mono-wrap">{v}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h4 className="subsection-title">{t('details.layers', { count: config.layers.length })}</h4>
      <table className="table table-nested table-compact">
        <caption className="visually-hidden">{t('details.historyCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('details.step')}</th>
            <th scope="col" className="cell-end">
              {t('artifacts.size')}
            </th>
            <th scope="col">{t('artifacts.digest')}</th>
          </tr>
        </thead>
        <tbody>
          {(config.history.length > 0
            ? config.history
            : config.layers.map((layer) => ({ createdBy: null, comment: null, created: null, emptyLayer: false, layer }))
          ).map((h, i) => (
            <tr key={i} data-testid="layer-row">
              <td className="mono-wrap small">{h.createdBy ?? h.comment ?? <span className="muted">{t('details.noStep')}</span>}</td>
              <td className="cell-end">{h.layer ? <ByteSize bytes={h.layer.size} /> : <span className="muted">{t('details.emptyLayer')}</span>}</td>
              <td>{h.layer ? <code title={h.layer.digest}>{shortDigest(h.layer.digest)}</code> : null}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
