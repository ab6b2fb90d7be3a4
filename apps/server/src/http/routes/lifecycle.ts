import express, { type Router } from 'express';
import { deleteTagsRequest, deletionPolicy, policyRunRequest, putImageDeletionPolicy, updateTagRequest } from '@berth/api';
import { ApiError } from '../../errors.ts';
import type { DeleteService } from '../../services/deletes.ts';
import type { DeletionPolicyService } from '../../services/deletion-policies.ts';
import { actorName } from '../../services/identity.ts';
import type { ImageService } from '../../services/images.ts';
import { requireAdmin, who } from '../auth.ts';

/**
 * Tag locks, deletes and deletion policies of images (`:image` is URL-encoded; the image
 * lock is `PATCH …/images/:image` with the image routes). Reads are open to every signed-in
 * account; changes are for admins.
 */
export function lifecycleRoutes(images: ImageService, deletes: DeleteService, policies: DeletionPolicyService): Router {
  const r = express.Router();
  const p = (v: unknown) => String(v);
  const image = '/repositories/:repository/images/:image';
  const ref = (req: express.Request) => images.ref(p(req.params.repository), p(req.params.image));
  const actor = (req: express.Request) => ({ actor: actorName(who(req)), via: 'api' as const });

  r.patch(`${image}/tags/:tag`, requireAdmin, async (req, res) => {
    const { locked } = updateTagRequest.parse(req.body);
    res.json(await images.setTagLock(who(req), p(req.params.repository), p(req.params.image), p(req.params.tag), locked));
  });

  r.delete(image, requireAdmin, async (req, res) => {
    res.json(await deletes.deleteImage(actor(req), await ref(req)));
  });
  r.delete(`${image}/tags/:tag`, requireAdmin, async (req, res) => {
    const tag = p(req.params.tag);
    const result = await deletes.deleteTag(actor(req), await ref(req), tag);
    if (result.outcome === 'absent') throw new ApiError('TAG_NOT_FOUND', `tag ${tag} does not exist`);
    if (result.outcome === 'refused') throw new ApiError('UPSTREAM_REFUSED', result.message ?? 'the registry refused the delete');
    res.json(result);
  });
  r.post(`${image}/tags\\:delete`, requireAdmin, async (req, res) => {
    const { tags } = deleteTagsRequest.parse(req.body);
    res.json(await deletes.deleteTags(actor(req), await ref(req), tags));
  });
  r.delete(`${image}/artifacts/:digest`, requireAdmin, async (req, res) => {
    const result = await deletes.deleteArtifact(actor(req), await ref(req), p(req.params.digest));
    const refused = result.results.find((x) => x.outcome === 'refused');
    if (refused && result.results.length === 1) throw new ApiError('UPSTREAM_REFUSED', refused.message ?? 'the registry refused the delete');
    res.json(result);
  });

  r.get(`${image}/deletion-policy`, async (req, res) => {
    res.json(await policies.get(p(req.params.repository), p(req.params.image)));
  });
  r.put(`${image}/deletion-policy`, requireAdmin, async (req, res) => {
    res.json(await policies.put(who(req), p(req.params.repository), p(req.params.image), putImageDeletionPolicy.parse(req.body)));
  });
  r.post(`${image}/deletion-policy/test`, async (req, res) => {
    res.json(await policies.test(p(req.params.repository), p(req.params.image)));
  });
  r.post(`${image}/deletion-policy/run`, requireAdmin, async (req, res) => {
    const { expect } = policyRunRequest.parse(req.body ?? {});
    res.json(await policies.runNow(who(req), p(req.params.repository), p(req.params.image), expect));
  });
  r.get('/repositories/:repository/deletion-policy', async (req, res) => {
    res.json(await policies.getRepositoryDefault(p(req.params.repository)));
  });
  r.put('/repositories/:repository/deletion-policy', requireAdmin, async (req, res) => {
    res.json(await policies.putRepositoryDefault(who(req), p(req.params.repository), deletionPolicy.parse(req.body)));
  });
  return r;
}
