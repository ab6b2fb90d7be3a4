import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { LanguageSwitch } from '@/components/ui/language-switch';
import { LoginForm } from '@/features/auth/components/login-form';
import { paths } from '@/lib/paths';

/** Only same-site paths are followed after sign-in (no `//host` or `/\host`). */
function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || next.startsWith('/login')) {
    return paths.repositories;
  }
  return next;
}

/** The sign-in page; afterwards the user returns to `?next=` (or the repository list). */
export function Component() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const next = safeNext(params.get('next'));
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
