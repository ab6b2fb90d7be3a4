import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ImagePullRestriction, PutImagePullRestriction } from '@berth/api';
import { api, seg } from '@/lib/api-client';
import { scanKeys } from './keys';

/** PUT /repositories/{repository}/images/{image}/pull-restriction (admin; audited): the image's own restriction, or `{inherit: true}`. */
export function updateImagePullRestriction(repository: string, image: string, body: PutImagePullRestriction): Promise<ImagePullRestriction> {
  return api.put(`/repositories/${seg(repository)}/images/${seg(image)}/pull-restriction`, body);
}

/**
 * Saves an image's pull restriction; the form shows field errors itself. What a pull is told
 * changes with it: the image's scans are read again, and `onChanged` refreshes the tag rows'
 * "Pull restricted" badges.
 */
export function useUpdateImagePullRestriction(repository: string, image: string, opts: { onChanged?: () => unknown } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { errorToast: false },
    mutationFn: (body: PutImagePullRestriction) => updateImagePullRestriction(repository, image, body),
    onSuccess: (saved) => {
      queryClient.setQueryData(scanKeys.imageRestriction(repository, image), saved);
      return Promise.all([queryClient.invalidateQueries({ queryKey: scanKeys.image(repository, image) }), opts.onChanged?.()]);
    },
  });
}
