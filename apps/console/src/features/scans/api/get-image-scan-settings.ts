import { queryOptions, useQuery } from '@tanstack/react-query';
import type { ImageScanSettings } from '@berth/api';
import { api, seg } from '@/lib/api-client';
import { scanKeys } from './keys';

/** GET /repositories/{repository}/images/{image}/scan-settings: the settings that apply, and where they come from. */
export function getImageScanSettings(repository: string, image: string, signal?: AbortSignal): Promise<ImageScanSettings> {
  return api.get(`/repositories/${seg(repository)}/images/${seg(image)}/scan-settings`, undefined, signal);
}

export function imageScanSettingsQueryOptions(repository: string, image: string) {
  return queryOptions({
    queryKey: scanKeys.imageSetting(repository, image),
    queryFn: ({ signal }) => getImageScanSettings(repository, image, signal),
  });
}

export function useImageScanSettings(repository: string, image: string) {
  return useQuery(imageScanSettingsQueryOptions(repository, image));
}
