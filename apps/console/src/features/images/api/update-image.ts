import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Image, UpdateImageRequest } from '@berth/api';
import { api, seg } from '@/lib/api-client';
import { imageKeys } from './keys';

/** PATCH /repositories/{repository}/images/{image} (admin; audited): the description, the lock, or both. */
export function updateImage(repository: string, name: string, body: UpdateImageRequest): Promise<Image> {
  return api.patch(`/repositories/${seg(repository)}/images/${seg(name)}`, body);
}

/** Saves a change to the image; `errorToast: false` when the caller says what went wrong itself. */
export function useUpdateImage(repository: string, name: string, opts: { errorToast?: boolean } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { errorToast: opts.errorToast },
    mutationFn: (body: UpdateImageRequest) => updateImage(repository, name, body),
    onSuccess: (updated) => {
      queryClient.setQueryData(imageKeys.detail(repository, name), updated);
      return queryClient.invalidateQueries({ queryKey: imageKeys.lists() });
    },
  });
}
