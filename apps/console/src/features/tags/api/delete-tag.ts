import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { TagDeleteResult } from '@berth/api';
import { api, seg } from '@/lib/api-client';
import { tagKeys } from './keys';

/** DELETE /repositories/{repository}/images/{image}/tags/{tag} (admin): the tag only; its artifact stays. */
export function deleteTag(repository: string, image: string, tag: string): Promise<TagDeleteResult> {
  return api.delete(`/repositories/${seg(repository)}/images/${seg(image)}/tags/${seg(tag)}`);
}

/** Deletes one tag; the dialog shows a refusal itself. `onChanged` refreshes the other features' views of the image. */
export function useDeleteTag(repository: string, image: string, opts: { onChanged?: () => unknown } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { errorToast: false },
    mutationFn: (tag: string) => deleteTag(repository, image, tag),
    onSettled: () => Promise.all([queryClient.invalidateQueries({ queryKey: tagKeys.image(repository, image) }), opts.onChanged?.()]),
  });
}
