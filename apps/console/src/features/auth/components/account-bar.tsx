import { useTranslation } from '@/lib/use-translation';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { useMe } from '../api/get-me';
import { useSignOut } from '../api/sign-out';

/** The signed-in account, its role, and Sign out (for the header). */
export function AccountBar({ onSignedOut }: { onSignedOut: () => void }) {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const signOut = useSignOut(onSignedOut);
  if (!me) return null;
  return (
    <div className="account-bar">
      <span className="account-name" data-testid="current-user">
        <span className="visually-hidden">{t('auth.signedInAs')} </span>
        {me.username}
      </span>
      <Badge tone={me.role === 'admin' ? 'info' : 'neutral'}>{t(`roles.${me.role}`)}</Badge>
      <Button size="sm" onClick={() => signOut.mutate()} busy={signOut.isPending}>
        {t('auth.signOut')}
      </Button>
    </div>
  );
}
