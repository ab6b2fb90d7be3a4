import { useState, type FormEvent } from 'react';
import { useTranslation } from '@/lib/use-translation';
import type { Me } from '@berth/api';
import { Button } from '@/components/ui/button';
import { FormError, TextField } from '@/components/ui/field';
import { isApiError } from '@/lib/api-client';
import { useSignIn } from '../api/sign-in';

/** Username and password; says why a sign-in failed (wrong credentials, too many tries). */
export function LoginForm({ onSignedIn }: { onSignedIn: (me: Me) => void }) {
  const { t } = useTranslation();
  const signIn = useSignIn();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [missing, setMissing] = useState(false);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!username.trim() || !password) {
      setMissing(true);
      return;
    }
    setMissing(false);
    signIn.mutate({ username: username.trim(), password }, { onSuccess: onSignedIn });
  };

  let message: string | null = missing ? t('auth.missingFields') : null;
  if (!missing && signIn.error) {
    const err = signIn.error;
    if (isApiError(err) && err.status === 401) message = t('auth.invalidCredentials');
    else if (isApiError(err) && err.status === 429) message = t('auth.tooManyAttempts');
    else if (isApiError(err) && err.code === 'VALIDATION_FAILED') message = t('auth.missingFields');
    else message = err.message;
  }

  return (
    <form className="form login-form" onSubmit={onSubmit} noValidate aria-describedby={message ? 'login-error' : undefined}>
      <TextField
        label={t('auth.username')}
        name="username"
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        required
        autoFocus
        value={username}
        onChange={(e) => setUsername(e.target.value)}
      />
      <TextField
        label={t('auth.password')}
        name="password"
        type="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(e) => setPassword(e.target.value)}
      />
      <div id="login-error">
        <FormError>{message}</FormError>
      </div>
      <Button type="submit" variant="primary" busy={signIn.isPending}>
        {t('auth.signIn')}
      </Button>
    </form>
  );
}
