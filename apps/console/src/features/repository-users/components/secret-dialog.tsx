import { useTranslation } from '@/lib/use-translation';
import type { RepositoryUserWithSecret } from '@berth/api';
import { Button } from '@/components/ui/button';
import { CopyButton } from '@/components/ui/copy-button';
import { Dialog, DialogClose } from '@/components/ui/dialog';

/**
 * Shows a repository user's secret key, the only time it is ever shown, with a copy
 * button and the `docker login` command (username = the repository name).
 */
export function SecretDialog({ user, publicHost, onClose }: { user: RepositoryUserWithSecret | null; publicHost: string; onClose: () => void }) {
  const { t } = useTranslation();
  const command = user ? `docker login ${publicHost} -u ${user.repository}` : '';
  return (
    <Dialog
      open={user !== null}
      onOpenChange={(open) => !open && onClose()}
      title={user ? t('users.secretTitle', { name: user.name }) : ''}
      size="lg"
      modalLock
      footer={
        <DialogClose asChild>
          <Button variant="primary">{t('users.secretDone')}</Button>
        </DialogClose>
      }
    >
      {user && (
        <div className="secret">
          <div className="callout callout-warning" role="note">
            <strong>{t('users.secretWarningTitle')}</strong> {t('users.secretWarning')}
          </div>
          <div className="secret-block">
            <p className="secret-label">
              {t('users.secretKey')}
            </p>
            <div className="code-row">
              <code className="code" data-testid="secret-key">
                {user.secret}
              </code>
              <CopyButton value={user.secret} label={t('users.copySecret')} size="md" showText />
            </div>
          </div>
          <div className="secret-block">
            <p className="secret-label">
              {t('users.loginCommand')}
            </p>
            <div className="code-row">
              <code className="code" data-testid="login-command">
                {command}
              </code>
              <CopyButton value={command} label={t('users.copyLoginCommand')} size="md" showText />
            </div>
            <p className="muted small">{t('users.loginHint')} {t(user.permission === 'delete' ? 'users.canDelete' : user.permission === 'push' ? 'users.canPush' : 'users.canPull')}</p>
          </div>
        </div>
      )}
    </Dialog>
  );
}
