import express, { type Request, type RequestHandler, type Router } from 'express';
import {
  browseQuery,
  browseTagsQuery,
  createRegistryRequest,
  deleteRegistryQuery,
  gcRequest,
  listRegistriesQuery,
  registryConnectionRequest,
  retestRegistryRequest,
  updateRegistryRequest,
  type RegistryDetail,
} from '@berth/api';
import type { RegistryGc } from '../../services/registry-gc.ts';
import type { Reconciler } from '../../services/reconcile.ts';
import { actorName } from '../../services/identity.ts';
import type { ExternalBrowser } from '../../services/registries/browse.ts';
import { MANAGED_REGISTRY, type RegistryService } from '../../services/registries/registries.ts';
import { requireAdmin, who } from '../auth.ts';
import { ApiError } from '../../errors.ts';

/**
 * The registries Berth knows. The managed one (`default`) is reconciled and, embedded,
 * garbage-collected; external ones are added with a connection test, re-tested, given
 * another account, removed (optionally with their repository's content upstream), and
 * browsed read-only. `:image` is URL-encoded (it may hold `/`).
 */
export function registryRoutes(registries: RegistryService, browser: ExternalBrowser, reconciler: Reconciler, gc: RegistryGc): Router {
  const r = express.Router();
  const p = (v: unknown) => String(v);
  const managed = (req: Request): void => {
    if (req.params.registry !== MANAGED_REGISTRY) throw new ApiError('REGISTRY_UNSUPPORTED', 'only the managed registry is reconciled and garbage-collected by Berth');
  };

  r.get('/registries', async (req, res) => {
    res.json(await registries.list(listRegistriesQuery.parse(req.query)));
  });
  r.post('/registries', requireAdmin, async (req, res) => {
    res.status(201).json(await registries.create(who(req), createRegistryRequest.parse(req.body)));
  });
  r.post('/registries/test', requireAdmin, async (req, res) => {
    res.json(await registries.test(registryConnectionRequest.parse(req.body ?? {})));
  });
  r.get('/registries/:registry', async (req, res) => {
    const one = await registries.get(p(req.params.registry));
    if (one.kind !== 'managed') {
      const detail: RegistryDetail = { ...one, lastSync: null, lastGc: null };
      res.json(detail);
      return;
    }
    const [lastSync, lastGc] = await Promise.all([reconciler.lastSync(), gc.lastGc()]);
    const detail: RegistryDetail = { ...one, lastSync, lastGc };
    res.json(detail);
  });
  r.patch('/registries/:registry', requireAdmin, async (req, res) => {
    res.json(await registries.update(who(req), p(req.params.registry), updateRegistryRequest.parse(req.body)));
  });
  r.delete('/registries/:registry', requireAdmin, async (req, res) => {
    const q = deleteRegistryQuery.parse(req.query);
    res.json(await registries.remove(who(req), p(req.params.registry), q.deleteUpstream === 'true'));
  });
  r.post('/registries/:registry/test', requireAdmin, async (req, res) => {
    res.json(await registries.retest(p(req.params.registry), retestRegistryRequest.parse(req.body ?? {})));
  });

  r.post('/registries/:registry/sync', requireAdmin, async (req, res) => {
    await registries.get(p(req.params.registry));
    managed(req);
    try {
      res.json(await reconciler.sync(actorName(who(req))));
    } catch (err) {
      req.log.error({ err }, 'reconciliation failed');
      throw new ApiError('UPSTREAM_UNAVAILABLE', 'the registry could not be read; see the server log');
    }
  });
  r.post('/registries/:registry/gc', requireAdmin, async (req, res) => {
    await registries.get(p(req.params.registry));
    managed(req);
    res.json(await gc.run(who(req), gcRequest.parse(req.body ?? {})));
  });

  // Browsing an external registry; the managed one is browsed through /repositories.
  const external: RequestHandler = (req, _res, next) => {
    if (req.params.registry === MANAGED_REGISTRY) throw new ApiError('REGISTRY_UNSUPPORTED', 'browse the managed registry under /repositories');
    next();
  };
  r.get('/registries/:registry/repositories', external, async (req, res) => {
    res.json(await browser.repositories(p(req.params.registry), browseQuery.parse(req.query)));
  });
  r.get('/registries/:registry/repositories/:repository/images', external, async (req, res) => {
    res.json(await browser.images(p(req.params.registry), p(req.params.repository), browseQuery.parse(req.query)));
  });
  r.get('/registries/:registry/repositories/:repository/images/:image/tags', external, async (req, res) => {
    res.json(await browser.tags(p(req.params.registry), p(req.params.repository), p(req.params.image), browseTagsQuery.parse(req.query)));
  });
  r.get('/registries/:registry/repositories/:repository/images/:image/manifests/:reference', external, async (req, res) => {
    const m = await browser.manifest(p(req.params.registry), p(req.params.repository), p(req.params.image), p(req.params.reference));
    res.setHeader('content-type', m.mediaType);
    if (m.digest) res.setHeader('docker-content-digest', m.digest);
    res.end(Buffer.from(m.body.buffer, m.body.byteOffset, m.body.byteLength));
  });
  r.get('/registries/:registry/repositories/:repository/images/:image/manifests/:reference/config', external, async (req, res) => {
    res.json(await browser.config(p(req.params.registry), p(req.params.repository), p(req.params.image), p(req.params.reference)));
  });
  return r;
}
