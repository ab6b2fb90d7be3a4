import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ImageDeletionPolicy, PutImageDeletionPolicy } from '@berth/api';
import { api, seg } from '@/lib/api-client';
import { policyKeys } from './keys';

/** PUT /repositories/{repository}/images/{image}/deletion-policy (admin; audited): the image's own policy, or `{inherit: true}`. */
export function updateImageDeletionPolicy(repository: string, image: string, body: PutImageDeletionPolicy): Promise<ImageDeletionPolicy> {
  return api.put(`/repositories/${seg(repository)}/images/${seg(image)}/deletion-policy`, body);
}

/** Saves an image's policy; the form shows field errors itself. A policy test of the image is stale after it. */
export function useUpdateImageDeletionPolicy(repository: string, image: string) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { errorToast: false },
    mutationFn: (body: PutImageDeletionPolicy) => updateImageDeletionPolicy(repository, image, body),
    onSuccess: (saved) => {
      queryClient.setQueryData(policyKeys.image(repository, image), saved);
      return queryClient.invalidateQueries({ queryKey: policyKeys.test(repository, image) });
    },
  });
}
