import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Tag, UpdateTagRequest } from '@berth/api';
import { api, seg } from '@/lib/api-client';
import { tagKeys } from './keys';

/** PATCH /repositories/{repository}/images/{image}/tags/{tag} (admin; audited): its lock. */
export function updateTag(repository: string, image: string, tag: string, body: UpdateTagRequest): Promise<Tag> {
  return api.patch(`/repositories/${seg(repository)}/images/${seg(image)}/tags/${seg(tag)}`, body);
}

/**
 * Locks or unlocks a tag. The image's tag lists are read again; `onChanged` lets the page
 * refresh what other features show of it (the artifacts' locked tags).
 */
export function useUpdateTag(repository: string, image: string, opts: { onChanged?: () => unknown } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { errorToast: false }, // the list says why in words
    mutationFn: ({ tag, body }: { tag: string; body: UpdateTagRequest }) => updateTag(repository, image, tag, body),
    onSuccess: () => Promise.all([queryClient.invalidateQueries({ queryKey: tagKeys.image(repository, image) }), opts.onChanged?.()]),
  });
}
