import { useTranslation } from '@/lib/use-translation';
import { useNavigate, useSearchParams } from 'react-router';
import { LanguageSwitch } from '@/components/ui/language-switch';
import { LoginForm } from '@/features/auth/components/login-form';
import { safeReturnPath } from '@/lib/paths';
import { useDocumentTitle } from '@/lib/use-document-title';

/** The sign-in page; afterwards the user returns to `?next=` (or the repository list). */
export function Component() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const next = safeReturnPath(params.get('next'));
  useDocumentTitle(t('auth.title'));
  return (
    <main className="login-page" id="main">
      <div className="login-card">
        <div className="login-brand">
          <span className="brand-mark" aria-hidden="true">
            ⚓
          </span>
          <span>Berth</span>
        </div>
        <h1 className="login-title">{t('auth.title')}</h1>
        <p className="muted">{t('auth.subtitle')}</p>
        <LoginForm onSignedIn={() => void navigate(next, { replace: true })} />
      </div>
      <LanguageSwitch />
    </main>
  );
}
