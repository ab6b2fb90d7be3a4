import { useRef, type KeyboardEvent, type ReactNode } from 'react';
import { Link, useMatch, useNavigate, useResolvedPath } from 'react-router';

export interface LinkTab {
  to: string;
  label: string;
  /** Match the path exactly (the index tab). */
  end?: boolean;
  /** Whether the tab is the current one, when the URL's path alone cannot tell (tabs in `?tab=`). */
  selected?: boolean;
}

function TabLink({ tab, id, panelId }: { tab: LinkTab; id: string; panelId: string }) {
  const resolved = useResolvedPath(tab.to);
  const matched = useMatch({ path: resolved.pathname, end: tab.end ?? false }) !== null;
  const selected = tab.selected ?? matched;
  return (
    <Link
      to={tab.to}
      id={id}
      role="tab"
      className={selected ? 'tab tab-active' : 'tab'}
      aria-selected={selected}
      aria-controls={panelId}
      tabIndex={selected ? 0 : -1}
      preventScrollReset
    >
      {tab.label}
    </Link>
  );
}

/**
 * Tabs that are routes: each tab is a link (it has a URL and works with the back
 * button) exposed with the ARIA tab roles; Left/Right/Home/End move between tabs.
 */
export function LinkTabs({ tabs, label, idPrefix }: { tabs: LinkTab[]; label: string; idPrefix: string }) {
  const navigate = useNavigate();
  const listRef = useRef<HTMLDivElement>(null);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const links = Array.from(listRef.current?.querySelectorAll<HTMLAnchorElement>('[role="tab"]') ?? []);
    const current = links.indexOf(document.activeElement as HTMLAnchorElement);
    if (current < 0) return;
    let next: number;
    if (e.key === 'ArrowRight') next = (current + 1) % links.length;
    else if (e.key === 'ArrowLeft') next = (current - 1 + links.length) % links.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = links.length - 1;
    else return;
    e.preventDefault();
    links[next]?.focus();
    const tab = tabs[next];
    if (tab) void navigate(tab.to, { preventScrollReset: true });
  };

  return (
    <div className="tabs" role="tablist" aria-label={label} ref={listRef} onKeyDown={onKeyDown}>
      {tabs.map((tab, i) => (
        <TabLink key={tab.to} tab={tab} id={`${idPrefix}-tab-${i}`} panelId={`${idPrefix}-panel`} />
      ))}
    </div>
  );
}

/** The region a LinkTabs controls; `tabIndex` lets keyboard users reach it. */
export function TabPanel({ idPrefix, activeIndex, children }: { idPrefix: string; activeIndex: number; children: ReactNode }) {
  return (
    <div role="tabpanel" id={`${idPrefix}-panel`} aria-labelledby={`${idPrefix}-tab-${activeIndex}`} className="tab-panel">
      {children}
    </div>
  );
}
