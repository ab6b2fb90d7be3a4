import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { DeleteArtifactsResponse } from '@berth/api';
import { api, seg } from '@/lib/api-client';
import { artifactKeys } from './keys';

/** DELETE /repositories/{repository}/images/{image}/artifacts/{digest} (admin): the artifact and every tag on it. */
export function deleteArtifact(repository: string, image: string, digest: string): Promise<DeleteArtifactsResponse> {
  return api.delete(`/repositories/${seg(repository)}/images/${seg(image)}/artifacts/${seg(digest)}`);
}

/** Deletes one artifact; the dialog shows a refusal itself. `onChanged` refreshes the other features' views of the image. */
export function useDeleteArtifact(repository: string, image: string, opts: { onChanged?: () => unknown } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { errorToast: false },
    mutationFn: (digest: string) => deleteArtifact(repository, image, digest),
    onSettled: () => Promise.all([queryClient.invalidateQueries({ queryKey: artifactKeys.lists() }), opts.onChanged?.()]),
  });
}
