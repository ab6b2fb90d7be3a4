import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { DeleteTagsRequest, DeleteTagsResponse } from '@berth/api';
import { api, seg } from '@/lib/api-client';
import { tagKeys } from './keys';

/** POST /repositories/{repository}/images/{image}/tags:delete (admin): at most 50 tags, each with its outcome. */
export function deleteTags(repository: string, image: string, body: DeleteTagsRequest): Promise<DeleteTagsResponse> {
  return api.post(`/repositories/${seg(repository)}/images/${seg(image)}/tags:delete`, body);
}

/** Deletes several tags at once; the dialog shows the outcome of each. */
export function useDeleteTags(repository: string, image: string, opts: { onChanged?: () => unknown } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { errorToast: false },
    mutationFn: (tags: string[]) => deleteTags(repository, image, { tags }),
    onSettled: () => Promise.all([queryClient.invalidateQueries({ queryKey: tagKeys.image(repository, image) }), opts.onChanged?.()]),
  });
}
