import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import rateLimit from 'express-rate-limit';
import { digestLike, isIndexMediaType, OciError, parseV2Path, type V2Target, MANIFEST_ACCEPT, ManifestError, parseDigest, parseManifest, sha256Digest } from '@berth/oci';
import type { Store } from '@berth/store';
import type { Logger } from 'pino';
import type { AccountService } from '../services/accounts.ts';
import { nowIso } from '../services/clock.ts';
import { actorName, registryActions, type Identity } from '../services/identity.ts';
import type { Indexer } from '../services/indexer.ts';
import type { PullCounter } from '../services/pull-counter.ts';
import { authenticate, parseBasic, type Caller } from './authenticate.ts';
import { allowed, checkAccess, requiredAction } from './checks/access.ts';
import type { UpstreamProxy, UpstreamReply } from './proxy.ts';
import { parseScopes, type Access, type TokenService } from './tokens.ts';

/** Largest manifest Berth accepts or indexes (the distribution spec's suggested minimum). */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

export interface FrontDoorDeps {
  store: Store;
  accounts: AccountService;
  tokens: TokenService;
  proxy: UpstreamProxy;
  indexer: Indexer;
  pulls: PullCounter;
  log: Logger;
  /** Absolute URL of the token realm, e.g. https://berth.example/service/token. */
  realm: (req: Request) => string;
  tokenRateLimit: number;
}

type Ctx = { caller: Caller; target: V2Target; identity: Identity };
type Handler = (req: Request, res: Response, ctx: Ctx & { name: string }) => Promise<void>;

/**
 * The /v2 route table. Every request: authenticate → parse the path → check scope →
 * check the repository exists → the route's own handler (proxy plus indexing or counting).
 * | route                     | method          | handler                                  |
 * |---------------------------|-----------------|------------------------------------------|
 * | /v2/                      | GET             | 200 for any authenticated caller         |
 * | /v2/_catalog              | GET             | Berth's store, filtered to the caller    |
 * | …/manifests/<ref>         | PUT             | validate (≤ 4 MiB) → proxy → index       |
 * | …/manifests/<ref>         | GET             | proxy → count the pull                   |
 * | …/manifests/<ref>         | DELETE          | Deleting → proxy → unindex, or Inactive  |
 * | …/blobs/uploads/          | POST            | mount only from visible images → proxy   |
 * | everything else           | any             | proxy, streamed                          |
 */
export function frontDoorRouter(deps: FrontDoorDeps): Router {
  const router = express.Router();
  const challenge = (req: Request, scope: string | null, error = false) =>
    `Bearer realm="${deps.realm(req)}",service="${deps.tokens.service}"${scope ? `,scope="${scope}"` : ''}${error ? ',error="insufficient_scope"' : ''}`;

  const fail = (req: Request, res: Response, err: unknown, scope: string | null = null, insufficientScope = false) => {
    const e = err instanceof OciError ? err : new OciError('UNAVAILABLE', 'internal error', undefined, 500);
    if (!(err instanceof OciError) || e.status >= 500) req.log?.error({ err }, 'front door request failed');
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (e.status === 401) res.setHeader('www-authenticate', challenge(req, scope, insufficientScope));
    res.status(e.status);
    if (req.method === 'HEAD') res.end();
    else res.json(e.body());
  };

  router.get('/service/token', tokenLimiter(deps.tokenRateLimit), async (req, res) => {
    const basic = parseBasic(req.headers.authorization);
    let identity: Identity | null = null;
    if (basic) {
      identity = await deps.accounts.authenticate(basic.username, basic.password);
      if (!identity) {
        res.setHeader('www-authenticate', 'Basic realm="Berth"');
        res.status(401).json({ errors: [{ code: 'UNAUTHORIZED', message: 'incorrect username or secret key' }] });
        return;
      }
    }
    const scopes = [req.query.scope].flat().filter((s): s is string => typeof s === 'string');
    const granted: Access[] = [];
    for (const a of parseScopes(scopes)) {
      if (a.type === 'registry' && a.name === 'catalog' && identity) {
        granted.push({ type: 'registry', name: 'catalog', actions: ['*'] });
        continue;
      }
      if (a.type !== 'repository') continue;
      const slash = a.name.indexOf('/');
      const held = registryActions(identity, slash > 0 ? a.name.slice(0, slash) : '');
      const actions = a.actions.flatMap((x) => (x === '*' ? [...held] : held.has(x) ? [x] : []));
      if (actions.length > 0) granted.push({ type: 'repository', name: a.name, actions: [...new Set(actions)] });
    }
    const t = await deps.tokens.issue(identity, granted);
    res.setHeader('cache-control', 'no-store');
    res.json({ token: t.token, access_token: t.token, expires_in: t.expiresIn, issued_at: t.issuedAt });
  });

  router.use('/v2', async (req: Request, res: Response, next: NextFunction) => {
    try {
      res.setHeader('docker-distribution-api-version', 'registry/2.0');
      const rawPath = req.originalUrl.split('?')[0]!;
      const target = parseV2Path(rawPath, 2);
      const caller = await authenticate(req.headers.authorization, deps);
      if (target.kind === 'base' || target.kind === 'catalog') {
        if (caller.via !== 'basic' && caller.via !== 'bearer') {
          throw new OciError('UNAUTHORIZED', 'authentication required');
        }
        if (target.kind === 'base') {
          res.status(200).json({});
          return;
        }
        await catalog(req, res, caller.identity, deps.store);
        return;
      }
      if (target.kind === 'unknown') throw new OciError('UNSUPPORTED', 'no such registry endpoint', undefined, 404);
      if (target.kind === 'invalid-name') {
        throw new OciError('NAME_INVALID', 'image names are <repository>/<image>, lowercase letters, digits and separators', { name: target.name });
      }
      if (target.kind === 'invalid-reference') {
        throw new OciError(rawPath.includes('/manifests/') ? 'MANIFEST_INVALID' : 'DIGEST_INVALID', 'invalid tag or digest', { reference: target.raw });
      }
      const name = target.name;
      const action = requiredAction(req.method);
      const denied = checkAccess(caller, name, action);
      if (denied) {
        fail(req, res, denied.error, denied.challenge, denied.insufficientScope);
        return;
      }
      const identity = (caller as Extract<Caller, { identity: Identity }>).identity;
      const repository = name.slice(0, name.indexOf('/'));
      if ((await deps.store.repositoryId(repository)) === null) {
        throw new OciError('NAME_UNKNOWN', `repository ${repository} does not exist in Berth; create it first`, { repository });
      }
      const handler = pick(target, req.method);
      await handler(req, res, { caller, target, identity, name });
    } catch (err) {
      if (err instanceof OciError || !res.headersSent) fail(req, res, err);
      else next(err);
    }
  });

  const proxyPath = (req: Request) => req.originalUrl;

  /** Relays an upstream reply; an upstream that refuses Berth's own credentials is a 502. */
  const relay = async (res: Response, reply: UpstreamReply) => {
    if (reply.status === 401) {
      await reply.body.dump();
      throw new OciError('UNAVAILABLE', 'the upstream registry refused Berth\u2019s credentials', undefined, 502);
    }
    await deps.proxy.relay(res, reply);
  };

  const passThrough: Handler = async (req, res) => relay(res, await deps.proxy.send(req, proxyPath(req)));

  const putManifest: Handler = async (req, res, { target, identity, name }) => {
    if (target.kind !== 'manifest') return passThrough(req, res, { target, identity, name } as never);
    const body = await readBody(req, MAX_MANIFEST_BYTES);
    let manifest;
    try {
      manifest = parseManifest(body, req.headers['content-type']);
    } catch (err) {
      if (err instanceof ManifestError) throw new OciError('MANIFEST_INVALID', err.message);
      throw err;
    }
    let digest: string | undefined;
    if (target.reference.kind === 'digest') {
      const want = parseDigest(target.reference.digest)!;
      digest = digestLike(want, body);
      if (digest !== target.reference.digest) {
        throw new OciError('DIGEST_INVALID', 'the manifest does not match the digest in the URL', { expected: target.reference.digest, actual: digest });
      }
    }
    const reply = await deps.proxy.send(req, proxyPath(req), { body, headers: { 'content-type': manifest.mediaType } });
    if (reply.status === 201) {
      const stored = headerOf(reply, 'docker-content-digest') ?? digest ?? sha256Digest(body);
      const slash = name.indexOf('/');
      try {
        await deps.indexer.manifestPushed({
          repository: name.slice(0, slash),
          image: name.slice(slash + 1),
          digest: stored,
          tag: target.reference.kind === 'tag' ? target.reference.tag : null,
          body,
          manifest,
          at: nowIso(),
          actor: actorName(identity),
        });
      } catch (err) {
        // The upstream holds the manifest; reconciliation will index it.
        deps.log.error({ err, name }, 'could not index a pushed manifest');
      }
    }
    await relay(res, reply);
  };

  const getManifest: Handler = async (req, res, { target, caller, name }) => {
    if (target.kind !== 'manifest') return;
    if (!req.headers.accept) req.headers.accept = MANIFEST_ACCEPT;
    const reply = await deps.proxy.send(req, proxyPath(req));
    if (req.method !== 'GET' || reply.status !== 200) return relay(res, reply);
    const mediaType = headerOf(reply, 'content-type') ?? '';
    const digest = headerOf(reply, 'docker-content-digest');
    let children: string[] | null = null;
    if (isIndexMediaType(mediaType)) {
      const body = Buffer.from(await reply.body.arrayBuffer());
      deps.proxy.writeHead(res, reply);
      res.end(body);
      try {
        const parsed = parseManifest(body, mediaType);
        if (parsed.kind === 'index') children = parsed.manifests.map((m) => m.digest);
      } catch {
        children = [];
      }
    } else {
      await relay(res, reply);
    }
    if (!digest) return;
    const slash = name.indexOf('/');
    const who = caller.via === 'basic' || caller.via === 'bearer' ? actorName(caller.identity) : 'anonymous';
    deps.pulls.record({
      repository: name.slice(0, slash),
      image: name.slice(slash + 1),
      digest,
      tag: target.reference.kind === 'tag' ? target.reference.tag : null,
      client: `${who}|${req.ip ?? ''}`,
      children,
      at: nowIso(),
    });
  };

  /**
   * The artifact (or tag) is Deleting while the upstream works on the DELETE: it leaves the
   * index when the upstream deleted it (202) or has no such manifest (404); any other answer
   * leaves it Inactive. The client gets the upstream's answer either way.
   */
  const deleteManifest: Handler = async (req, res, { target, name }) => {
    if (target.kind !== 'manifest') return;
    const slash = name.indexOf('/');
    const [repository, image] = [name.slice(0, slash), name.slice(slash + 1)];
    const remove = async () => {
      const reply = await deps.proxy.send(req, proxyPath(req));
      return { answer: reply.status === 202 ? 'deleted' : reply.status === 404 ? 'absent' : 'refused', result: reply } as const;
    };
    const reply =
      target.reference.kind === 'digest'
        ? await deps.indexer.deleteManifest(repository, image, target.reference.digest, remove)
        : await deps.indexer.deleteTag(repository, image, target.reference.tag, remove);
    await relay(res, reply);
  };

  /** A cross-repository mount is only offered from an image the caller may pull. */
  const startUpload: Handler = async (req, res, { caller }) => {
    const url = new URL(req.originalUrl, 'http://berth');
    const from = url.searchParams.get('from');
    if (url.searchParams.has('mount') && (!from || !allowed(caller, from, 'pull'))) {
      url.searchParams.delete('mount');
      url.searchParams.delete('from');
    }
    await relay(res, await deps.proxy.send(req, url.pathname + url.search));
  };

  function pick(target: V2Target, method: string): Handler {
    if (target.kind === 'manifest') {
      if (method === 'PUT') return putManifest;
      if (method === 'GET' || method === 'HEAD') return getManifest;
      if (method === 'DELETE') return deleteManifest;
    }
    if (target.kind === 'upload' && target.session === null && method === 'POST') return startUpload;
    return passThrough;
  }

  return router;
}

function headerOf(reply: UpstreamReply, name: string): string | undefined {
  const v = reply.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Reads a request body whole, refusing one larger than `limit` with 413. */
async function readBody(req: Request, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? '-1');
  if (declared > limit) {
    req.resume();
    throw new OciError('MANIFEST_INVALID', `manifest is larger than ${limit} bytes`, { limit }, 413);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > limit) {
      req.resume();
      throw new OciError('MANIFEST_INVALID', `manifest is larger than ${limit} bytes`, { limit }, 413);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** `_catalog` from Berth's store: only the images the caller may see, with `n`/`last` paging. */
async function catalog(req: Request, res: Response, identity: Identity, store: Store): Promise<void> {
  const n = Math.min(Math.max(Number(req.query.n ?? 100) || 100, 1), 1000);
  const last = typeof req.query.last === 'string' ? req.query.last : undefined;
  let ids: number[] | null = null;
  if (identity.kind === 'repository-user') {
    const id = await store.repositoryId(identity.repository);
    ids = id === null ? [] : [id];
  }
  const names = await store.catalog(ids, n, last);
  if (names.length === n) {
    res.setHeader('link', `</v2/_catalog?n=${n}&last=${encodeURIComponent(names[names.length - 1]!)}>; rel="next"`);
  }
  res.json({ repositories: names });
}

function tokenLimiter(limit: number) {
  return rateLimit({
    windowMs: 60_000,
    limit: limit * 3,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (_req, res) => {
      res.status(429).json({ errors: [{ code: 'TOOMANYREQUESTS', message: 'too many failed logins; try again in a minute' }] });
    },
  });
}
