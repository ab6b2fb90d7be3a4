import express, { type Request, type Router } from 'express';
import { gcRequest, type Registry, type RegistryDetail } from '@berth/api';
import type { RegistryGc } from '../../services/registry-gc.ts';
import type { Reconciler } from '../../services/reconcile.ts';
import { actorName } from '../../services/identity.ts';
import { requireAdmin, who } from '../auth.ts';
import { ApiError } from '../../errors.ts';

/** The managed registry behind Berth, its reconciliation and (embedded only) garbage collection. */
export function registryRoutes(registry: Registry, reconciler: Reconciler, gc: RegistryGc): Router {
  const r = express.Router();
  /** The registry named in the path, or 404 REGISTRY_NOT_FOUND. */
  const named = (req: Request): Registry => {
    if (req.params.registry !== registry.name) throw new ApiError('REGISTRY_NOT_FOUND', `registry ${String(req.params.registry)} does not exist`);
    return registry;
  };
  r.get('/registries', (_req, res) => {
    res.json([registry]);
  });
  r.get('/registries/:registry', async (req, res) => {
    const one = named(req);
    const [lastSync, lastGc] = await Promise.all([reconciler.lastSync(), gc.lastGc()]);
    const detail: RegistryDetail = { ...one, lastSync, lastGc };
    res.json(detail);
  });
  r.post('/registries/:registry/sync', requireAdmin, async (req, res) => {
    named(req);
    try {
      res.json(await reconciler.sync(actorName(who(req))));
    } catch (err) {
      req.log.error({ err }, 'reconciliation failed');
      throw new ApiError('UPSTREAM_UNAVAILABLE', 'the registry could not be read; see the server log');
    }
  });
  r.post('/registries/:registry/gc', requireAdmin, async (req, res) => {
    named(req);
    res.json(await gc.run(who(req), gcRequest.parse(req.body ?? {})));
  });
  return r;
}
