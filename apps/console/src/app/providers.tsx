import { useEffect, useState, type ReactNode } from 'react';
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { I18nextProvider } from 'react-i18next';
import { Toaster } from '@/components/ui/toaster';
import { i18next } from '@/lib/i18n';

/** Query cache, translations and toasts around the router. */
export function AppProviders({ queryClient, children }: { queryClient: QueryClient; children: ReactNode }) {
  return (
    <I18nextProvider i18n={i18next}>
      <QueryClientProvider client={queryClient}>
        <TitleSync />
        {children}
        <Toaster />
      </QueryClientProvider>
    </I18nextProvider>
  );
}

/** Keeps the document title in the UI language. */
function TitleSync() {
  const [, setTick] = useState(0);
  useEffect(() => {
    const onChange = () => {
      document.title = i18next.t('app.title');
      setTick((n) => n + 1);
    };
    onChange();
    i18next.on('languageChanged', onChange);
    return () => i18next.off('languageChanged', onChange);
  }, []);
  return null;
}
