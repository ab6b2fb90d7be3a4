import { useId, type ReactNode } from 'react';
import { RelativeTime } from '@/components/ui/relative-time';
import { useTranslation } from '@/lib/use-translation';

/** A titled card on the registry page: what an action does, its button, and what it reported. */
export function ActionCard({ title, body, action, children }: { title: string; body: string; action: ReactNode; children?: ReactNode }) {
  const id = useId();
  return (
    <section className="details-card" aria-labelledby={id}>
      <div className="action-card">
        <div>
          <h2 id={id} className="section-title">
            {title}
          </h2>
          <p className="muted">{body}</p>
        </div>
        {action}
      </div>
      {children}
    </section>
  );
}

/** Who ran a kept run (`schedule`, or an account) and when. */
export interface RanBy {
  at: string;
  by: string;
}

/** What a run reported, under a small heading (`testId` on the box), with who ran it and when if known. */
export function RunReport({ title, testId, ran, children }: { title: string; testId: string; ran?: RanBy | null; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className="report" data-testid={testId}>
      <h3 className="command-section-title">{title}</h3>
      {ran && (
        <p className="muted small" data-testid={`${testId}-ran`}>
          {ran.by === 'schedule' ? t('registries.bySchedule') : t('registries.byAccount', { by: ran.by })} · <RelativeTime value={ran.at} />
        </p>
      )}
      {children}
    </div>
  );
}

/**
 * The report to show: the kept one (from the registry, with who and when) once it is as new
 * as the run just made on this page, else that run's answer alone.
 */
export function latestReport<T>(kept: (RanBy & { value: T }) | null | undefined, justRan: { value: T | undefined; at: number }) {
  if (kept && (justRan.value === undefined || Date.parse(kept.at) >= justRan.at)) return { value: kept.value, ran: kept as RanBy };
  return justRan.value === undefined ? null : { value: justRan.value, ran: null };
}
