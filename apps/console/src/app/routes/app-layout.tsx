import type { QueryClient } from '@tanstack/react-query';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from '@/lib/use-translation';
import { Link, NavLink, Outlet, redirect, useNavigate, useNavigation, type LoaderFunctionArgs } from 'react-router';
import { LanguageSwitch } from '@/components/ui/language-switch';
import { AccountBar } from '@/features/auth/components/account-bar';
import { meQueryOptions } from '@/features/auth/api/get-me';
import { isApiError, loginPath } from '@/lib/api-client';
import { paths } from '@/lib/paths';

/** Every page but sign-in needs a session: without one, go to /login?next=… */
export const rootLoader =
  (queryClient: QueryClient) =>
  async ({ request }: LoaderFunctionArgs) => {
    try {
      await queryClient.ensureQueryData(meQueryOptions());
    } catch (error) {
      if (isApiError(error) && error.status === 401) {
        const url = new URL(request.url);
        throw redirect(loginPath(url.pathname + url.search));
      }
      throw error;
    }
    return null;
  };

/** The signed-in shell: header (navigation, language, account) and the page. */
export function AppLayout() {
  const { t } = useTranslation();
  const navigation = useNavigation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const loading = navigation.state !== 'idle';

  const onSignedOut = async () => {
    await navigate(paths.login, { replace: true });
    queryClient.clear();
  };

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t('common.skipToContent')}
      </a>
      <div className={loading ? 'progress progress-active' : 'progress'} aria-hidden="true" />
      <header className="app-header">
        <div className="app-header-inner">
          <Link to={paths.repositories} className="brand">
            <span className="brand-mark" aria-hidden="true">
              ⚓
            </span>
            Berth
          </Link>
          <nav aria-label={t('nav.main')} className="main-nav">
            <NavLink to={paths.repositories} className="nav-link">
              {t('nav.repositories')}
            </NavLink>
            <NavLink to={paths.registries} className="nav-link">
              {t('nav.registries')}
            </NavLink>
          </nav>
          <div className="header-end">
            <LanguageSwitch />
            <AccountBar onSignedOut={() => void onSignedOut()} />
          </div>
        </div>
      </header>
      <main id="main" className="app-main" tabIndex={-1} aria-busy={loading || undefined}>
        <Outlet />
      </main>
    </div>
  );
}
