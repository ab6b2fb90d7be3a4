import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { OciError, parseV2Path, type V2ImageTarget } from '@berth/oci';
import type { Identity } from '../services/identity.ts';
import { authenticate } from './authenticate.ts';
import { manifestBody } from './body.ts';
import { access, AccessDenied } from './checks/access.ts';
import { notBeingDeleted } from './checks/deleting.ts';
import { lock } from './checks/lock.ts';
import { pullRestriction } from './checks/pull-restriction.ts';
import { repositoryExists } from './checks/repository-exists.ts';
import type { Check, Handler, V2Context } from './context.ts';
import type { FrontDoorDeps } from './deps.ts';
import { failedLoginLimiter } from './failed-logins.ts';
import { catalog } from './handlers/catalog.ts';
import { deleteManifest } from './handlers/delete-manifest.ts';
import { getManifest } from './handlers/get-manifest.ts';
import { passThrough } from './handlers/pass-through.ts';
import { patchUpload } from './handlers/patch-upload.ts';
import { putManifest } from './handlers/put-manifest.ts';
import { referrers } from './handlers/referrers.ts';
import { startUpload } from './handlers/start-upload.ts';
import { tagsList } from './handlers/tags-list.ts';
import { tokenService } from './handlers/token.ts';

export type { FrontDoorDeps } from './deps.ts';
export { MAX_MANIFEST_BYTES } from './body.ts';

/** One row of the /v2 route table: which requests it serves, the checks they pass in order, and the handler. */
export interface V2Route {
  methods: readonly string[] | 'any';
  target: V2ImageTarget['kind'] | 'any';
  /** A further condition on the target (e.g. an upload that is only starting). */
  when?: (target: V2ImageTarget) => boolean;
  checks: readonly Check[];
  handler: Handler;
}

/**
 * The /v2 route table for requests that name an image. Before it, every request is
 * authenticated and its path parsed (`/v2/` and `_catalog` are answered there); the first
 * row that fits runs its checks in order, and the first check that refuses answers.
 *
 * | method     | target                 | checks                         | handler                                  |
 * |------------|------------------------|--------------------------------|------------------------------------------|
 * | PUT        | manifests/<ref>        | access → repository exists → lock → not being deleted | validate (≤ 4 MiB) → proxy → index |
 * | GET, HEAD  | manifests/<ref>        | access → repository exists → pull restriction | proxy → count the pull    |
 * | DELETE     | manifests/<ref>        | access → repository exists → lock | the console's delete rules (tag only, |
 * |            |                        |                                |   references refuse) → Deleting → gone or Inactive |
 * | DELETE     | blobs/<digest>         | access → repository exists     | 405 UNSUPPORTED: blobs go by garbage collection |
 * | POST       | blobs/uploads/         | access → repository exists     | mount only from visible images → proxy   |
 * | PATCH      | blobs/uploads/<id>     | access → repository exists     | a chunk not at the session's offset: 416; else proxy, streamed |
 * | GET, HEAD  | tags/list              | access → repository exists     | from the store, `n`/`last` paging        |
 * | GET, HEAD  | referrers/<digest>     | access → repository exists     | from the store, `artifactType` filter    |
 * | any        | anything else          | access → repository exists     | proxy, streamed                          |
 */
export function routeTable(deps: FrontDoorDeps): V2Route[] {
  const exists = repositoryExists(deps.store);
  const locked = lock(deps.store);
  const deleting = notBeingDeleted(deps.store);
  const restricted = pullRestriction(deps.store);
  return [
    { methods: ['PUT'], target: 'manifest', checks: [access, exists, locked, deleting], handler: putManifest(deps) },
    { methods: ['GET', 'HEAD'], target: 'manifest', checks: [access, exists, restricted], handler: getManifest(deps) },
    { methods: ['DELETE'], target: 'manifest', checks: [access, exists, locked], handler: deleteManifest(deps) },
    { methods: ['DELETE'], target: 'blob', checks: [access, exists], handler: refuseBlobDelete },
    { methods: ['POST'], target: 'upload', when: (t) => t.kind === 'upload' && t.session === null, checks: [access, exists], handler: startUpload(deps) },
    { methods: ['PATCH'], target: 'upload', when: (t) => t.kind === 'upload' && t.session !== null, checks: [access, exists], handler: patchUpload(deps) },
    { methods: ['GET', 'HEAD'], target: 'tags', checks: [access, exists], handler: tagsList(deps) },
    { methods: ['GET', 'HEAD'], target: 'referrers', checks: [access, exists], handler: referrers(deps) },
    { methods: 'any', target: 'any', checks: [access, exists], handler: passThrough(deps) },
  ];
}

/**
 * A blob DELETE never reaches the registry through Berth: it would take a layer from under
 * every manifest that uses it, whatever locks and references say. Blobs nothing refers to
 * any more go by garbage collection.
 */
const refuseBlobDelete: Handler = async () => {
  throw new OciError('UNSUPPORTED', 'blobs are not deleted through Berth: delete the manifest; garbage collection frees its blobs', undefined, 405);
};

/** The first route that serves `method` on `target` (the table ends with a catch-all). */
export function findRoute(table: readonly V2Route[], method: string, target: V2ImageTarget): V2Route {
  const route = table.find(
    (r) =>
      (r.methods === 'any' || r.methods.includes(method)) &&
      (r.target === 'any' || r.target === target.kind) &&
      (!r.when || r.when(target)),
  );
  if (!route) throw new Error(`no /v2 route for ${method} ${target.kind}`);
  return route;
}

/** The token service and the /v2 front door. */
export function frontDoorRouter(deps: FrontDoorDeps): Router {
  const router = express.Router();
  const table = routeTable(deps);
  const challenge = (req: Request, scope: string | null, insufficientScope: boolean) =>
    `Bearer realm="${deps.realm(req)}",service="${deps.tokens.service}"${scope ? `,scope="${scope}"` : ''}${insufficientScope ? ',error="insufficient_scope"' : ''}`;

  /** Answers an error in the OCI form (a 5xx's detail is logged, not sent). */
  const fail = (req: Request, res: Response, err: unknown) => {
    const e = err instanceof OciError ? err : new OciError('UNAVAILABLE', 'internal error', undefined, 500);
    if (!(err instanceof OciError) || e.status >= 500) req.log?.error({ err }, 'front door request failed');
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (e.status === 401) {
      const denied = e instanceof AccessDenied ? e : null;
      res.setHeader('www-authenticate', challenge(req, denied?.scope ?? null, denied?.insufficientScope ?? false));
    }
    res.status(e.status);
    if (req.method === 'HEAD') res.end();
    else res.json(e.body());
  };

  router.get('/service/token', ...tokenService(deps));
  router.use('/v2', failedLoginLimiter(deps.tokenRateLimit * 3, (req, res) => fail(req, res, new OciError('TOOMANYREQUESTS', 'too many failed logins; try again in a minute', undefined, 429))));

  router.use('/v2', async (req: Request, res: Response, next: NextFunction) => {
    try {
      res.setHeader('docker-distribution-api-version', 'registry/2.0');
      const rawPath = req.originalUrl.split('?')[0]!;
      const target = parseV2Path(rawPath, 2);
      const caller = await authenticate(req.headers.authorization, deps);
      if (target.kind === 'base' || target.kind === 'catalog') {
        if (caller.via !== 'basic' && caller.via !== 'bearer') throw new OciError('UNAUTHORIZED', 'authentication required');
        if (target.kind === 'base') res.status(200).json({});
        else await catalog(req, res, caller.identity, deps.store);
        return;
      }
      if (target.kind === 'unknown') throw new OciError('UNSUPPORTED', 'no such registry endpoint', undefined, 404);
      if (target.kind === 'invalid-name') {
        throw new OciError('NAME_INVALID', 'image names are <repository>/<image>, lowercase letters, digits and separators', { name: target.name });
      }
      if (target.kind === 'invalid-reference') {
        const manifest = rawPath.includes('/manifests/');
        // A read of a reference that cannot exist finds nothing (the distribution spec's
        // answer); a write of one is a bad request.
        if (manifest && (req.method === 'GET' || req.method === 'HEAD')) throw new OciError('MANIFEST_UNKNOWN', 'no manifest has that reference: it is neither a tag nor a digest', { reference: target.raw });
        throw new OciError(manifest ? 'MANIFEST_INVALID' : 'DIGEST_INVALID', 'invalid tag or digest', { reference: target.raw });
      }
      const route = findRoute(table, req.method, target);
      const ctx: V2Context = {
        req,
        res,
        caller,
        target,
        body: manifestBody(req),
        // Read only after the access check (first in every row) let a known caller through.
        get identity(): Identity {
          if (caller.via !== 'basic' && caller.via !== 'bearer') throw new Error('identity read before the access check');
          return caller.identity;
        },
      };
      for (const check of route.checks) {
        const refused = await check(ctx);
        if (refused) throw refused;
      }
      await route.handler(ctx);
    } catch (err) {
      if (err instanceof OciError || !res.headersSent) fail(req, res, err);
      else next(err);
    }
  });

  return router;
}
