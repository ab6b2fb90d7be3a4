import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Store, StoreScope } from '@berth/store';

/** The store's aggregates: a call on one is timed as `<aggregate>.<method>`. */
const AGGREGATES = Object.keys({
  settings: true,
  accounts: true,
  repositories: true,
  repositoryUsers: true,
  images: true,
  pulls: true,
  jobs: true,
  audit: true,
  locks: true,
  policies: true,
  scans: true,
  registries: true,
} satisfies Record<keyof StoreScope, true>) as (keyof StoreScope)[];

/** Coarse route classes: enough to tell manifests from blobs from the API, no cardinality blow-up. */
export function routeClass(path: string, method: string): string {
  if (path.startsWith('/v2')) {
    if (path === '/v2' || path === '/v2/') return 'v2_base';
    if (path === '/v2/_catalog') return 'v2_catalog';
    if (path.includes('/manifests/')) return 'v2_manifest';
    if (path.includes('/blobs/uploads')) return 'v2_upload';
    if (path.includes('/blobs/')) return 'v2_blob';
    if (path.endsWith('/tags/list')) return 'v2_tags';
    if (path.includes('/referrers/')) return 'v2_referrers';
    return 'v2_other';
  }
  if (path.startsWith('/service/token')) return 'token';
  if (path.startsWith('/api/')) return method === 'GET' ? 'api_read' : 'api_write';
  if (path === '/healthz' || path === '/readyz' || path === '/metrics') return 'ops';
  return 'console';
}

/** Berth's Prometheus metrics, one registry per running server. */
export class Metrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'berth_http_requests_total',
    help: 'HTTP requests by route class, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [this.registry],
  });
  readonly duration = new Histogram({
    name: 'berth_http_request_duration_seconds',
    help: 'HTTP request latency by route class',
    labelNames: ['route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 60],
    registers: [this.registry],
  });
  readonly bytes = new Counter({
    name: 'berth_proxied_bytes_total',
    help: 'Bytes moved through the /v2 front door: request bodies sent upstream (in), socket bytes to clients (out)',
    labelNames: ['direction'] as const,
    registers: [this.registry],
  });
  readonly upstreamErrors = new Counter({
    name: 'berth_upstream_errors_total',
    help: 'Front-door requests to the upstream registry that failed or that it answered with 5xx (Berth\'s own 5xx are not counted)',
    registers: [this.registry],
  });
  readonly storeDuration = new Histogram({
    name: 'berth_store_duration_seconds',
    help: 'Metadata store call latency by method',
    labelNames: ['method'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });
  /** Set by the server: how many images have pull counts waiting for a flush. */
  pendingPullsSource: () => number = () => 0;
  readonly pendingPulls: Gauge = new Gauge({
    name: 'berth_pull_counts_pending',
    help: 'Images with pull counts not yet written to the store',
    registers: [this.registry],
    collect: (): void => this.pendingPulls.set(this.pendingPullsSource()),
  });

  /** Set by the server: the job queue's depth and lag. */
  jobStatsSource: () => Promise<{ queued: number; running: number; lagSeconds: number }> = async () => ({
    queued: 0,
    running: 0,
    lagSeconds: 0,
  });
  readonly jobs: Gauge = new Gauge({
    name: 'berth_jobs',
    help: 'Jobs in the queue by state (queued and due, running)',
    labelNames: ['state'] as const,
    registers: [this.registry],
    collect: async (): Promise<void> => {
      const stats = await this.jobStatsSource();
      this.jobs.set({ state: 'queued' }, stats.queued);
      this.jobs.set({ state: 'running' }, stats.running);
      this.jobLag.set(stats.lagSeconds);
    },
  });
  readonly jobLag: Gauge = new Gauge({
    name: 'berth_jobs_lag_seconds',
    help: 'Age of the oldest due job nobody has leased yet',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'berth_' });
  }

  /** Records every request once it has finished (or the client went away). */
  middleware(): RequestHandler {
    return (req: Request, res: Response, next: NextFunction) => {
      const started = process.hrtime.bigint();
      const path = req.originalUrl.split('?')[0] ?? '/';
      const route = routeClass(path, req.method);
      const socket = req.socket;
      const written0 = socket.bytesWritten;
      res.once('close', () => {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        this.requests.inc({ route, method: req.method, status: String(res.statusCode) });
        this.duration.observe({ route }, seconds);
        if (route.startsWith('v2_')) {
          this.bytes.inc({ direction: 'out' }, Math.max(0, socket.bytesWritten - written0));
        }
      });
      next();
    };
  }

  /**
   * Wraps a store so every call's latency is observed, labelled `<aggregate>.<method>`
   * (`images.recordPush`), calls inside `transaction` included (the whole transaction is
   * `transaction`; `migrate` and `close` are themselves).
   */
  timeStore<S extends Store>(store: S): S {
    const histogram = this.storeDuration;
    const time = <R>(method: string, call: () => R): R => {
      const end = histogram.startTimer({ method });
      const out = call();
      if (out instanceof Promise) return out.finally(() => end()) as R;
      end();
      return out;
    };
    const timed = <T extends object>(target: T, prefix: string): T =>
      new Proxy(target, {
        get(t, prop, receiver) {
          const value = Reflect.get(t, prop, receiver) as unknown;
          if (typeof value !== 'function' || typeof prop !== 'string') return value;
          return (...args: unknown[]) => time(prefix + prop, () => (value as (...a: unknown[]) => unknown).apply(t, args));
        },
      });
    const timedScope = (s: StoreScope) =>
      Object.fromEntries(AGGREGATES.map((name) => [name, timed(s[name], `${name}.`)])) as unknown as StoreScope;
    const scope = timedScope(store);
    const top = timed(store, '');
    return new Proxy(store, {
      get(target, prop) {
        if (typeof prop === 'string' && Object.hasOwn(scope, prop)) return scope[prop as keyof StoreScope];
        if (prop === 'transaction') {
          return <T>(fn: (tx: StoreScope) => Promise<T>) => time('transaction', () => target.transaction((tx) => fn(timedScope(tx))));
        }
        return Reflect.get(top, prop);
      },
    });
  }
}
