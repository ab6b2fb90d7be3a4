import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ImageScanSettings, PutImageScanSettings } from '@berth/api';
import { api, seg } from '@/lib/api-client';
import { scanKeys } from './keys';

/** PUT /repositories/{repository}/images/{image}/scan-settings (admin; audited): the image's own settings, or `{inherit: true}`. */
export function updateImageScanSettings(repository: string, image: string, body: PutImageScanSettings): Promise<ImageScanSettings> {
  return api.put(`/repositories/${seg(repository)}/images/${seg(image)}/scan-settings`, body);
}

/**
 * Saves an image's scan settings; the form shows errors itself. Exclusions change the counts
 * the image's scans show (no new scan needed), so its scans are read again; `onChanged`
 * refreshes what other features show of it (the tag rows' counts).
 */
export function useUpdateImageScanSettings(repository: string, image: string, opts: { onChanged?: () => unknown } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { errorToast: false },
    mutationFn: (body: PutImageScanSettings) => updateImageScanSettings(repository, image, body),
    onSuccess: (saved) => {
      queryClient.setQueryData(scanKeys.imageSetting(repository, image), saved);
      return Promise.all([queryClient.invalidateQueries({ queryKey: scanKeys.image(repository, image) }), opts.onChanged?.()]);
    },
  });
}
