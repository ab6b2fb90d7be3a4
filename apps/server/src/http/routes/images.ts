import express, { type Router } from 'express';
import { listArtifactsQuery, listImagesQuery, listTagsQuery, updateImageRequest } from '@berth/api';
import type { ImageService } from '../../services/images.ts';
import { requireAdmin, who } from '../auth.ts';

/** Images of a repository, and an image's artifacts and tags. `:image` is URL-encoded. */
export function imageRoutes(images: ImageService): Router {
  const r = express.Router();
  const p = (v: unknown) => String(v);

  r.get('/repositories/:repository/images', async (req, res) => {
    res.json(await images.list(p(req.params.repository), listImagesQuery.parse(req.query)));
  });
  r.get('/repositories/:repository/images/:image', async (req, res) => {
    res.json(await images.get(p(req.params.repository), p(req.params.image)));
  });
  r.patch('/repositories/:repository/images/:image', requireAdmin, async (req, res) => {
    res.json(await images.update(who(req), p(req.params.repository), p(req.params.image), updateImageRequest.parse(req.body)));
  });
  r.get('/repositories/:repository/images/:image/artifacts', async (req, res) => {
    res.json(await images.artifacts(p(req.params.repository), p(req.params.image), listArtifactsQuery.parse(req.query)));
  });
  r.get('/repositories/:repository/images/:image/tags', async (req, res) => {
    res.json(await images.tags(p(req.params.repository), p(req.params.image), listTagsQuery.parse(req.query)));
  });
  return r;
}
