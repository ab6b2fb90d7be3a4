import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { DeleteArtifactsResponse } from '@berth/api';
import { api, seg } from '@/lib/api-client';
import { imageKeys } from './keys';

/** DELETE /repositories/{repository}/images/{image} (admin): every artifact and tag of the image, each with its outcome. */
export function deleteImage(repository: string, name: string): Promise<DeleteArtifactsResponse> {
  return api.delete(`/repositories/${seg(repository)}/images/${seg(name)}`);
}

/**
 * Deletes an image; the dialog shows a refusal itself. The image lists are read again; the
 * page leaves the image (and drops what it kept of it) once it is gone.
 */
export function useDeleteImage(repository: string, name: string) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { errorToast: false },
    mutationFn: () => deleteImage(repository, name),
    onSettled: () => queryClient.invalidateQueries({ queryKey: imageKeys.lists() }),
  });
}
