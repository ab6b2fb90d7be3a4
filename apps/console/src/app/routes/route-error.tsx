import { useTranslation } from '@/lib/use-translation';
import { isRouteErrorResponse, Link, Navigate, useLocation, useRevalidator, useRouteError } from 'react-router';
import { Button, buttonClass } from '@/components/ui/button';
import { isApiError, loginPath } from '@/lib/api-client';
import { paths } from '@/lib/paths';

/** The error element of every route: 401 goes to sign-in, 404 and 403 say so, the rest can retry. */
export function RouteError() {
  const { t } = useTranslation();
  const error = useRouteError();
  const location = useLocation();
  const revalidator = useRevalidator();

  if (isApiError(error) && error.status === 401) {
    return <Navigate to={loginPath(location.pathname + location.search)} replace />;
  }

  let title = t('errors.loadFailed');
  let message: string = t('errors.unknown');
  let retry = true;
  if ((isRouteErrorResponse(error) && error.status === 404) || (isApiError(error) && error.status === 404)) {
    title = t('errors.notFoundTitle');
    message = !isApiError(error)
      ? t('errors.pageNotFound')
      : error.code === 'REPOSITORY_NOT_FOUND'
        ? t('errors.repositoryNotFound')
        : error.code === 'IMAGE_NOT_FOUND'
          ? t('errors.imageNotFound')
          : error.code === 'REGISTRY_NOT_FOUND'
            ? t('errors.registryNotFound')
            : error.message;
    retry = false;
  } else if (isApiError(error) && error.status === 403) {
    title = t('errors.forbiddenTitle');
    message = error.message;
    retry = false;
  } else if (isApiError(error) || error instanceof Error) {
    message = error.message;
  }

  // A failed lazy import (a new deploy replaced the chunks) needs a full reload.
  const onRetry = () => (isApiError(error) ? void revalidator.revalidate() : window.location.reload());

  return (
    <div className="page">
      <div className="state state-error" role="alert">
        <h1 className="state-title">{title}</h1>
        <p className="state-body">{message}</p>
        <div className="state-action">
          {retry && (
            <Button onClick={onRetry} busy={revalidator.state === 'loading'}>
              {t('common.retry')}
            </Button>
          )}
          <Link to={paths.repositories} className={buttonClass('secondary')}>
            {t('errors.toRepositories')}
          </Link>
        </div>
      </div>
    </div>
  );
}
