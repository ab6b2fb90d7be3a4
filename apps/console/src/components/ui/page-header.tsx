import type { ReactNode } from 'react';
import { Link } from 'react-router';

export interface Crumb {
  label: string;
  to?: string;
}

/** Breadcrumbs, the page title (the one `<h1>`), and actions on the right. */
export function PageHeader({ title, crumbs, actions, children, breadcrumbLabel }: { title: ReactNode; crumbs?: Crumb[]; actions?: ReactNode; children?: ReactNode; breadcrumbLabel?: string }) {
  return (
    <header className="page-header">
      {crumbs && crumbs.length > 0 && (
        <nav aria-label={breadcrumbLabel ?? 'Breadcrumb'} className="breadcrumbs">
          <ol>
            {crumbs.map((c, i) => (
              <li key={`${i}-${c.label}`}>{c.to ? <Link to={c.to}>{c.label}</Link> : <span aria-current="page">{c.label}</span>}</li>
            ))}
          </ol>
        </nav>
      )}
      <div className="page-title-row">
        <h1 className="page-title">{title}</h1>
        {actions && <div className="page-actions">{actions}</div>}
      </div>
      {children}
    </header>
  );
}
