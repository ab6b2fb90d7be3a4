import type { ReactNode } from 'react';
import { useTranslation } from '@/lib/use-translation';
import { Button } from './button';
import { Dialog, DialogClose } from './dialog';

export interface ConfirmDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  busy?: boolean;
  danger?: boolean;
  /** What the action would do, under the question (a report, a list): the dialog body. */
  details?: ReactNode;
  /** The confirm button waits (e.g. for the report to load). */
  confirmDisabled?: boolean;
}

/** "Are you sure?": Cancel has focus first, so Enter never destroys by accident. */
export function ConfirmDialog({ open, onOpenChange, title, children, confirmLabel, onConfirm, busy, danger = false, details, confirmDisabled }: ConfirmDialogProps) {
  const { t } = useTranslation();
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={title}
      description={children}
      role="alertdialog"
      footer={
        <>
          <DialogClose asChild>
            <Button autoFocus>{t('common.cancel')}</Button>
          </DialogClose>
          <Button variant={danger ? 'danger' : 'primary'} onClick={onConfirm} busy={busy} disabled={confirmDisabled}>
            {confirmLabel}
          </Button>
        </>
      }
    >
      {details}
    </Dialog>
  );
}
