import express, { type Express, type Request, type Router } from 'express';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Store } from '@berth/store';
import { frontDoorRouter, type FrontDoorDeps } from '../frontdoor/routes.ts';
import type { AccountService } from '../services/accounts.ts';
import type { ImageService } from '../services/images.ts';
import type { Reconciler } from '../services/reconcile.ts';
import type { RepositoryService } from '../services/repositories.ts';
import { apiAuth } from './auth.ts';
import { consoleRoutes, type ConsoleRenderer } from './console.ts';
import { parseBasic } from '../frontdoor/authenticate.ts';
import { failedLoginLimiter } from '../frontdoor/failed-logins.ts';
import type { Metrics } from './metrics.ts';
import { safeEqual } from '../services/secrets.ts';
import { ApiError } from '../errors.ts';
import { apiErrorHandler } from './errors.ts';
import { sameOriginOnly } from './same-origin.ts';
import { authRoutes } from './routes/auth.ts';
import { imageRoutes } from './routes/images.ts';
import { lifecycleRoutes } from './routes/lifecycle.ts';
import { scanRoutes } from './routes/scans.ts';
import type { DeleteService } from '../services/deletes.ts';
import type { DeletionPolicyService } from '../services/deletion-policies.ts';
import type { ScanService } from '../services/scans.ts';
import type { VulnerabilityDatabaseService } from '../services/vulnerability-database.ts';
import { manifestRoutes } from './routes/manifests.ts';
import type { ManifestService } from '../services/manifests.ts';
import { registryRoutes } from './routes/registries.ts';
import type { RegistryService } from '../services/registries/registries.ts';
import type { ExternalBrowser } from '../services/registries/browse.ts';
import type { RegistryGc } from '../services/registry-gc.ts';
import { repositoryRoutes } from './routes/repositories.ts';
import { openApiRoutes } from './routes/openapi.ts';

export interface AppDeps {
  log: Logger;
  store: Store;
  accounts: AccountService;
  repositories: RepositoryService;
  images: ImageService;
  deletes: DeleteService;
  policies: DeletionPolicyService;
  scans: ScanService;
  vulnerabilityDatabase: VulnerabilityDatabaseService;
  manifests: ManifestService;
  reconciler: Reconciler;
  registries: RegistryService;
  externalBrowser: ExternalBrowser;
  gc: RegistryGc;
  frontDoor: Omit<FrontDoorDeps, 'log' | 'store' | 'accounts' | 'deletes'>;
  consoleDir: string | null;
  /** The console's server render (null: the browser renders every page itself). */
  consoleRenderer: ConsoleRenderer | null;
  /** Berth's own loopback address, once it listens. */
  selfUrl: () => string;
  loginRateLimit: number;
  metrics: Metrics;
  metricsToken: string | undefined;
  secureCookies: boolean;
  ready: () => Promise<boolean>;
}

/** Assembles the one Express app: /v2 and the token service, /api/v1, health, the console. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.set('query parser', 'simple');
  // No ETag computed from response bodies: API answers are `no-store` (hashing a policy
  // test's 12 MB answer took 20 ms for nothing); the console's shell and assets set their own.
  app.set('etag', false);

  app.use(deps.metrics.middleware());
  app.use(
    pinoHttp({
      logger: deps.log,
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && /^[\w.-]{1,128}$/.test(given) ? given : randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', 'req.query.password'],
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url.split('?')[0] }),
      },
    }),
  );

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const ok = await deps.ready().catch(() => false);
    res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'unready' });
  });

  // Prometheus: the metrics token as a Bearer, or an admin account with Basic.
  app.get('/metrics', async (req, res) => {
    const auth = req.headers.authorization ?? '';
    const byToken = !!deps.metricsToken && /^bearer /i.test(auth) && safeEqual(auth.slice(7).trim(), deps.metricsToken);
    if (!byToken) {
      const basic = parseBasic(auth);
      const account = basic ? await deps.accounts.verifyAccount(basic.username, basic.password) : null;
      if (!account || account.role !== 'admin') {
        res.setHeader('www-authenticate', 'Basic realm="Berth metrics"');
        throw new ApiError('UNAUTHENTICATED', 'metrics need BERTH_METRICS_TOKEN or an admin account');
      }
    }
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });

  // The registry front door comes before any body parser: its bodies are streamed.
  app.use(frontDoorRouter({ ...deps.frontDoor, log: deps.log, store: deps.store, accounts: deps.accounts, deletes: deps.deletes }));

  const security = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        baseUri: ["'self'"],
        objectSrc: ["'none'"],
        upgradeInsecureRequests: deps.secureCookies ? [] : null,
      },
    },
    strictTransportSecurity: deps.secureCookies,
  });

  const api = apiRouter(deps);
  app.use('/api/v1', security, api);
  app.use('/api', security, (req: Request) => {
    throw new ApiError('NOT_FOUND', `no API route ${req.method} ${req.path}`);
  });
  app.use('/api', apiErrorHandler);

  if (deps.consoleDir && fs.existsSync(path.join(deps.consoleDir, 'index.html'))) {
    app.use(consoleRoutes({ consoleDir: deps.consoleDir, security, renderer: deps.consoleRenderer, selfUrl: deps.selfUrl }));
  } else {
    app.get('/', security, (_req, res) => {
      res.type('text').send('Berth is running. The console is not built: run `npm run build`.\n');
    });
  }
  app.use(apiErrorHandler);
  return app;
}

/**
 * /api/v1: body and cookie parsing, the same-origin and failed-login guards, sign-in, then
 * (authenticated) every resource's routes and the catch-all 404. Each route here has its row
 * in the contract's endpoint table (packages/api endpoints.ts), which a test holds it to.
 */
export function apiRouter(deps: AppDeps): Router {
  const api = express.Router();
  api.use(express.json({ limit: '64kb' }));
  api.use(cookieParser());
  api.use((_req, res, next) => {
    res.setHeader('cache-control', 'no-store');
    next();
  });
  api.use(sameOriginOnly((req) => new URL(deps.frontDoor.realm(req)).origin));
  // Wrong passwords sent with Basic (scripts) are held off like the sign-in form's.
  api.use(
    failedLoginLimiter(deps.loginRateLimit * 3, () => {
      throw new ApiError('TOO_MANY_REQUESTS', 'too many failed logins; try again in a minute');
    }),
  );
  api.use(authRoutes(deps.accounts, { loginRateLimit: deps.loginRateLimit, secureCookies: deps.secureCookies, publicHost: () => deps.registries.managedPublicHost() }));
  api.use(apiAuth(deps.accounts));
  api.use(repositoryRoutes(deps.repositories));
  api.use(imageRoutes(deps.images));
  api.use(lifecycleRoutes(deps.images, deps.deletes, deps.policies));
  api.use(scanRoutes(deps.scans, deps.vulnerabilityDatabase));
  api.use(manifestRoutes(deps.manifests));
  api.use(registryRoutes(deps.registries, deps.externalBrowser, deps.reconciler, deps.gc));
  api.use(openApiRoutes());
  api.use((req: Request) => {
    throw new ApiError('NOT_FOUND', `no API route ${req.method} ${req.path}`);
  });
  api.use(apiErrorHandler);
  return api;
}
