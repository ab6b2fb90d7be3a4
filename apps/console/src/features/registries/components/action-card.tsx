import { useId, type ReactNode } from 'react';

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

/** What a run reported, under a small heading (`testId` on the box). */
export function RunReport({ title, testId, children }: { title: string; testId: string; children: ReactNode }) {
  return (
    <div className="report" data-testid={testId}>
      <h3 className="command-section-title">{title}</h3>
      {children}
    </div>
  );
}
