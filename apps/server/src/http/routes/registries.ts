import express, { type Router } from 'express';
import { gcRequest, type Registry } from '@berth/api';
import type { RegistryGc } from '../../services/registry-gc.ts';
import type { Reconciler } from '../../services/reconcile.ts';
import { requireAdmin, who } from '../auth.ts';
import { ApiError } from '../../errors.ts';

/** The managed registry behind Berth, its reconciliation and (embedded only) garbage collection. */
export function registryRoutes(registry: Registry, reconciler: Reconciler, gc: RegistryGc): Router {
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
  r.post('/registries/:registry/gc', requireAdmin, async (req, res) => {
    if (req.params.registry !== registry.name) throw new ApiError('REGISTRY_NOT_FOUND', `registry ${String(req.params.registry)} does not exist`);
    res.json(await gc.run(who(req), gcRequest.parse(req.body ?? {})));
  });
  return r;
}
