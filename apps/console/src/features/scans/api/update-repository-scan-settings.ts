import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { RepositoryScanSettings, ScanSettings } from '@berth/api';
import { api, seg } from '@/lib/api-client';
import { scanKeys } from './keys';

/** PUT /repositories/{repository}/scan-settings (admin; audited): the default of the repository's images. */
export function updateRepositoryScanSettings(repository: string, body: ScanSettings): Promise<RepositoryScanSettings> {
  return api.put(`/repositories/${seg(repository)}/scan-settings`, body);
}

/** Saves a repository's default; the images that inherit it (their settings and scans) are read again, `onChanged` refreshes the other features' rows. */
export function useUpdateRepositoryScanSettings(repository: string, opts: { onChanged?: () => unknown } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { errorToast: false },
    mutationFn: (body: ScanSettings) => updateRepositoryScanSettings(repository, body),
    onSuccess: (saved) => {
      queryClient.setQueryData(scanKeys.repositorySetting(repository), saved);
      return Promise.all([...[scanKeys.imageSettings(), scanKeys.artifacts()].map((queryKey) => queryClient.invalidateQueries({ queryKey })), opts.onChanged?.()]);
    },
  });
}
