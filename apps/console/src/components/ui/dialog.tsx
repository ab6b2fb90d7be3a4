import type { ReactNode } from 'react';
import * as RadixDialog from '@radix-ui/react-dialog';
import { useTranslation } from '@/lib/use-translation';
import { CloseIcon } from './icons';

export interface DialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description?: ReactNode;
  children?: ReactNode;
  /** Buttons, right-aligned under the body. */
  footer?: ReactNode;
  /** `alertdialog` for confirmations. */
  role?: 'dialog' | 'alertdialog';
  /** Keep the dialog open on outside clicks (forms, one-time secrets). */
  modalLock?: boolean;
  size?: 'md' | 'lg' | 'xl';
}

/** A modal dialog (Radix: focus trap, Escape, labelled by its title). */
export function Dialog({ open, onOpenChange, title, description, children, footer, role = 'dialog', modalLock = false, size = 'md' }: DialogProps) {
  const { t } = useTranslation();
  return (
    <RadixDialog.Root open={open} onOpenChange={onOpenChange}>
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="dialog-overlay" />
        <RadixDialog.Content
          className={`dialog dialog-${size}`}
          role={role}
          {...(description ? {} : { 'aria-describedby': undefined })}
          onPointerDownOutside={modalLock ? (e) => e.preventDefault() : undefined}
          onInteractOutside={modalLock ? (e) => e.preventDefault() : undefined}
        >
          <div className="dialog-header">
            <RadixDialog.Title className="dialog-title">{title}</RadixDialog.Title>
            <RadixDialog.Close className="btn btn-ghost btn-sm dialog-close" aria-label={t('common.close')}>
              <CloseIcon />
            </RadixDialog.Close>
          </div>
          {description ? (
            <RadixDialog.Description className="dialog-description">{description}</RadixDialog.Description>
          ) : null}
          <div className="dialog-body">{children}</div>
          {footer && <DialogFooter>{footer}</DialogFooter>}
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}

/** Closes the surrounding dialog; wrap a button in it. */
export const DialogClose = RadixDialog.Close;

/** The button row of a dialog; put it inside a form to keep submit buttons in the form. */
export function DialogFooter({ children }: { children: ReactNode }) {
  return <div className="dialog-footer">{children}</div>;
}
