import express, { type Router } from 'express';
import type { ManifestService } from '../../services/manifests.ts';

/**
 * An artifact's manifest, byte for byte as the registry serves it, and its image config
 * summarized. Read with Berth's own upstream client: not pulls, never counted.
 */
export function manifestRoutes(manifests: ManifestService): Router {
  const r = express.Router();
  const p = (v: unknown) => String(v);

  r.get('/repositories/:repository/images/:image/manifests/:reference', async (req, res) => {
    const m = await manifests.manifest(p(req.params.repository), p(req.params.image), p(req.params.reference));
    res.setHeader('content-type', m.mediaType);
    if (m.digest) res.setHeader('docker-content-digest', m.digest);
    res.end(Buffer.from(m.body.buffer, m.body.byteOffset, m.body.byteLength));
  });
  r.get('/repositories/:repository/images/:image/manifests/:reference/config', async (req, res) => {
    res.json(await manifests.config(p(req.params.repository), p(req.params.image), p(req.params.reference)));
  });
  return r;
}
