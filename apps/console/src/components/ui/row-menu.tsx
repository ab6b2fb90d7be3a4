import { useState, type ReactNode } from 'react';
import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import { MoreIcon } from './icons';

/**
 * A row's actions behind one "⋯" button. Until first used it is that one button: the menu
 * (Radix, with its focus and keyboard handling) mounts on the first press, so a list of 50
 * rows does not render 50 menus it will mostly never open. Not portalled, so it stays in the
 * main landmark. `items` renders the `DropdownMenu.Item`s.
 */
export function RowMenu({ label, items }: { label: string; items: () => ReactNode }) {
  const [used, setUsed] = useState(false);
  const [open, setOpen] = useState(false);
  const openNow = () => {
    setUsed(true);
    setOpen(true);
  };
  if (!used) {
    return (
      <button
        type="button"
        className="btn btn-ghost btn-sm"
        aria-label={label}
        aria-haspopup="menu"
        aria-expanded={false}
        onClick={openNow}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            openNow();
          }
        }}
      >
        <MoreIcon />
      </button>
    );
  }
  return (
    <DropdownMenu.Root modal={false} open={open} onOpenChange={setOpen}>
      <DropdownMenu.Trigger className="btn btn-ghost btn-sm" aria-label={label}>
        <MoreIcon />
      </DropdownMenu.Trigger>
      <DropdownMenu.Content className="menu" align="end" sideOffset={4}>
        {items()}
      </DropdownMenu.Content>
    </DropdownMenu.Root>
  );
}

/** One entry of a `RowMenu`. */
export const RowMenuItem = DropdownMenu.Item;
/** A line between groups of entries. */
export const RowMenuSeparator = DropdownMenu.Separator;
