import express, { type Router } from 'express';
import type { Registry } from '@berth/api';
import type { Reconciler } from '../../services/reconcile.ts';
import { requireAdmin } from '../auth.ts';
import { ApiError } from '../../errors.ts';

/** The managed registry behind Berth, and its reconciliation. */
export function registryRoutes(registry: Registry, reconciler: Reconciler): Router {
  const r = express.Router();
  r.get('/registries', (_req, res) => {
    res.json([registry]);
  });
  r.post('/registries/:registry/sync', requireAdmin, async (req, res) => {
    if (req.params.registry !== registry.name) throw new ApiError('REGISTRY_NOT_FOUND', `registry ${String(req.params.registry)} does not exist`);
    try {
      res.json(await reconciler.sync());
    } catch (err) {
      req.log.error({ err }, 'reconciliation failed');
      throw new ApiError('UPSTREAM_UNAVAILABLE', 'the registry could not be read; see the server log');
    }
  });
  return r;
}
