import { lazy, useState } from 'react';
import { useTranslation } from '@/lib/use-translation';
import type { Image } from '@berth/api';
import { Button } from '@/components/ui/button';
import { ClientSuspense } from '@/components/ui/client-suspense';

const DeleteImageDialog = lazy(() => import('./delete-image-dialog').then((m) => ({ default: m.DeleteImageDialog })));

/** The Details tab's last section (admins): what deleting the image does, and the button that asks first. */
export function DeleteImageSection({ repository, image, onDeleted }: { repository: string; image: Image; onDeleted: () => unknown }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <section className="details-card danger-zone" aria-labelledby="delete-image-heading">
      <div className="action-card">
        <div>
          <h2 id="delete-image-heading" className="section-title">
            {t('imageDelete.title')}
          </h2>
          <p className="muted">{t('imageDelete.body')}</p>
        </div>
        <Button variant="danger" onClick={() => setOpen(true)} aria-haspopup="dialog">
          {t('imageDelete.action')}
        </Button>
      </div>
      {open && (
        <ClientSuspense>
          <DeleteImageDialog repository={repository} image={image} onDeleted={onDeleted} onClose={() => setOpen(false)} />
        </ClientSuspense>
      )}
    </section>
  );
}
