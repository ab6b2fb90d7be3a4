import { Fragment, useLayoutEffect, useRef, useState, type ReactNode, type RefObject } from 'react';
import { flexRender, type Header, type Row, type RowData, type Table } from '@tanstack/react-table';
import { useWindowVirtualizer } from '@tanstack/react-virtual';
import { useLive } from '@/lib/use-live';
import { useTranslation } from '@/lib/use-translation';

declare module '@tanstack/react-table' {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface ColumnMeta<TData extends RowData, TValue> {
    /** Numbers and sizes align to the end. */
    align?: 'start' | 'end';
    /** A CSS width for the column, e.g. `'8rem'`. */
    width?: string;
    /** Render the cell as the row's header (`<th scope="row">`). */
    rowHeader?: boolean;
  }
}

/**
 * An Element Timing name for a list's first row, so Chromium records when it was first
 * painted (the console benchmark reads it). Chromium times text by its nearest block: the
 * row header cell carries it, and so must a block-like link inside it (the artifact digest).
 */
export const firstRowTiming = (index: number) => (index === 0 ? { elementtiming: 'first-row' } : {});

/**
 * Above this many rows the body is virtualized (only the rows near the viewport exist):
 * a page of 50 rows renders only the screenful the user sees, so the first rows appear sooner.
 */
export const VIRTUALIZE_AFTER = 20;

export interface DataTableProps<T> {
  table: Table<T>;
  /** The table's accessible name (a visually hidden caption). */
  caption: string;
  /** Attributes of each row's `<tr>` (e.g. `data-testid`). */
  rowProps?: (row: Row<T>) => Record<string, string | undefined>;
  /** Extra `<tr>`s shown under an expanded row. */
  renderExpanded?: (row: Row<T>) => ReactNode;
  /** Row height used before rows are measured, in pixels. */
  estimateRowHeight?: number;
}

function SortHeader<T>({ header }: { header: Header<T, unknown> }) {
  const { t } = useTranslation();
  const content = flexRender(header.column.columnDef.header, header.getContext());
  if (!header.column.getCanSort()) return <>{content}</>;
  const sorted = header.column.getIsSorted();
  return (
    <button
      type="button"
      className="sort-button"
      onClick={header.column.getToggleSortingHandler()}
      title={sorted === 'asc' ? t('list.sortedAscending') : sorted === 'desc' ? t('list.sortedDescending') : t('list.sortBy')}
    >
      {content}
      <span className={sorted ? 'sort-icon sort-active' : 'sort-icon'} aria-hidden="true">
        {sorted === 'desc' ? '▼' : sorted === 'asc' ? '▲' : '↕'}
      </span>
    </button>
  );
}

/**
 * A semantic table over a TanStack Table instance: sortable headers are buttons with
 * `aria-sort`, and long lists are virtualized against the window scroll.
 */
export function DataTable<T>({ table, caption, rowProps, renderExpanded, estimateRowHeight = 41 }: DataTableProps<T>) {
  const headRef = useRef<HTMLTableSectionElement>(null);
  const rows = table.getRowModel().rows;
  const colSpan = table.getVisibleLeafColumns().length;

  const renderRow = (row: Row<T>) => (
    <Fragment key={row.id}>
      <tr {...rowProps?.(row)} className={row.getIsExpanded() ? 'row-expanded' : undefined}>
        {row.getVisibleCells().map((cell) => {
          const meta = cell.column.columnDef.meta;
          const className = meta?.align === 'end' ? 'cell-end' : undefined;
          const content = flexRender(cell.column.columnDef.cell, cell.getContext());
          return meta?.rowHeader ? (
            <th key={cell.id} scope="row" className={className} {...firstRowTiming(row.index)}>
              {content}
            </th>
          ) : (
            <td key={cell.id} className={className}>
              {content}
            </td>
          );
        })}
      </tr>
      {row.getIsExpanded() && renderExpanded?.(row)}
    </Fragment>
  );

  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="visually-hidden">{caption}</caption>
        <colgroup>
          {table.getVisibleLeafColumns().map((c) => (
            <col key={c.id} style={c.columnDef.meta?.width ? { width: c.columnDef.meta.width } : undefined} />
          ))}
        </colgroup>
        <thead ref={headRef}>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => {
                const sorted = header.column.getIsSorted();
                return (
                  <th
                    key={header.id}
                    scope="col"
                    className={header.column.columnDef.meta?.align === 'end' ? 'cell-end' : undefined}
                    aria-sort={header.column.getCanSort() ? (sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none') : undefined}
                  >
                    {header.isPlaceholder ? null : <SortHeader header={header} />}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        {rows.length > VIRTUALIZE_AFTER ? (
          <VirtualRows rows={rows} colSpan={colSpan} renderRow={renderRow} estimate={estimateRowHeight} anchorRef={headRef} />
        ) : (
          <tbody>{rows.map(renderRow)}</tbody>
        )}
      </table>
    </div>
  );
}

/** The viewport assumed before the window is measured: a laptop screen. */
const FIRST_RENDER_RECT = { width: 1280, height: 800 };

interface VirtualRowsProps<T> {
  rows: Row<T>[];
  colSpan: number;
  renderRow: (row: Row<T>) => ReactNode;
  estimate: number;
  anchorRef: RefObject<HTMLTableSectionElement | null>;
}

/** Only the rows near the viewport, each group in its own measured `<tbody>`, between two spacers. */
function VirtualRows<T>({ rows, colSpan, renderRow, estimate, anchorRef }: VirtualRowsProps<T>) {
  const live = useLive();
  const [scrollMargin, setScrollMargin] = useState(0);
  useLayoutEffect(() => {
    const head = anchorRef.current;
    if (head) setScrollMargin(Math.round(head.getBoundingClientRect().bottom + window.scrollY));
  });
  const virtualizer = useWindowVirtualizer({
    count: rows.length,
    estimateSize: () => estimate,
    // The first render (the server's, and the hydration of it) has just the rows of a
    // screen: each row more is paint time before the first rows show. Rows just outside the
    // screen follow once the page is live.
    overscan: live ? 6 : 0,
    scrollMargin,
    // The same first rows on the server and in the browser (so they hydrate as they are);
    // the window's real size is read after it.
    initialRect: FIRST_RENDER_RECT,
    getItemKey: (index) => rows[index]?.id ?? index,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0];
  const last = items[items.length - 1];
  const top = first ? first.start - scrollMargin : 0;
  const bottom = last ? virtualizer.getTotalSize() - (last.end - scrollMargin) : 0;
  const spacer = (height: number) => (
    <tbody aria-hidden="true">
      <tr className="spacer-row" style={{ height }}>
        <td colSpan={colSpan} />
      </tr>
    </tbody>
  );
  return (
    <>
      {top > 0 && spacer(top)}
      {items.map((item) => {
        const row = rows[item.index];
        if (!row) return null;
        return (
          <tbody key={item.key} data-index={item.index} ref={virtualizer.measureElement}>
            {renderRow(row)}
          </tbody>
        );
      })}
      {bottom > 0 && spacer(bottom)}
    </>
  );
}
