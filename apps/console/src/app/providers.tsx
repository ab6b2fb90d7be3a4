import type { ReactNode } from 'react';
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import type { i18n as I18n } from 'i18next';
import { Toaster } from '@/components/ui/toaster';
import { TranslationProvider } from '@/lib/use-translation';

/** Query cache, translations and toasts around the router (in the browser and in the server's render). */
export function AppProviders({ queryClient, i18n, children }: { queryClient: QueryClient; i18n: I18n; children: ReactNode }) {
  return (
    <TranslationProvider i18n={i18n}>
      <QueryClientProvider client={queryClient}>
        {children}
        <Toaster />
      </QueryClientProvider>
    </TranslationProvider>
  );
}
