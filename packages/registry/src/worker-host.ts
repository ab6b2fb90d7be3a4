import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { MessageChannel, Worker } from 'node:worker_threads';
import { ExchangeClient, type ExchangeReply, type ExchangeRequestOptions } from './port-exchange.ts';
import type { GcOptions, GcReport } from './gc.ts';
import type { RegistryHandle, RegistryLogger, RegistryOptions } from './server.ts';

type WorkerCall = { type: 'gc'; options: GcOptions } | { type: 'close'; timeoutMs: number };
export type WorkerRequest = { id: number } & WorkerCall;
export type WorkerReply =
  | { type: 'ready'; url: string; host: string; port: number }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; obj: object; msg?: string | undefined }
  | { type: 'result'; id: number; report?: GcReport; error?: string };

/**
 * The embedded registry as Berth runs it: in a worker thread. Its HTTP listener on loopback
 * serves Berth's registry client (indexing, deletes, scans); `request` carries the front
 * door's /v2 traffic over a MessagePort instead, without a second HTTP hop.
 */
export interface RegistryWorker extends RegistryHandle {
  request(opts: ExchangeRequestOptions): Promise<ExchangeReply>;
}

/**
 * Starts the embedded registry in a worker thread. From the sources (tests, `tsx`) the
 * worker loads `worker.ts` through tsx; from Berth's bundle it loads `registry-worker.js`,
 * which the server's build emits beside `cli.js`.
 */
export async function startRegistryWorker(opts: RegistryOptions): Promise<RegistryWorker> {
  const { log, ...options } = opts;
  const channel = new MessageChannel();
  const workerData = { ...options, exchange: channel.port2 };
  const transferList = [channel.port2];
  const worker = import.meta.url.endsWith('.ts')
    ? new Worker(
        // tsx registers its loader in the worker first (an `--import` in execArgv is not applied to workers).
        `import(${JSON.stringify(pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href)})` +
          `.then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL('./worker.ts', import.meta.url).href)}); })`,
        { eval: true, workerData, transferList },
      )
    : new Worker(new URL('./registry-worker.js', import.meta.url), { workerData, transferList });
  const pending = new Map<number, (reply: Extract<WorkerReply, { type: 'result' }>) => void>();
  let nextId = 0;
  const logger: RegistryLogger | undefined = log;
  const ready = await new Promise<Extract<WorkerReply, { type: 'ready' }>>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the embedded registry stopped (exit ${code}) before serving`)));
    worker.on('message', (m: WorkerReply) => {
      if (m.type === 'ready') resolve(m);
      else if (m.type === 'log') logger?.[m.level](m.obj, m.msg);
      else {
        pending.get(m.id)?.(m);
        pending.delete(m.id);
      }
    });
  });
  worker.removeAllListeners('error');
  worker.removeAllListeners('exit');
  const exchange = new ExchangeClient(channel.port1);
  worker.on('error', (err) => logger?.error({ err }, 'the embedded registry failed'));
  worker.on('exit', () => exchange.closeAll(new Error('the embedded registry stopped')));
  const call = (req: WorkerCall): Promise<Extract<WorkerReply, { type: 'result' }>> =>
    new Promise((resolve) => {
      const id = ++nextId;
      pending.set(id, resolve);
      worker.postMessage({ ...req, id });
    });
  return {
    url: ready.url,
    host: ready.host,
    port: ready.port,
    root: opts.root,
    async collectGarbage(gc = {}) {
      const r = await call({ type: 'gc', options: gc });
      if (r.error || !r.report) throw new Error(`garbage collection failed: ${r.error ?? 'no report'}`);
      return r.report;
    },
    request: (req) => exchange.request(req),
    async close(timeoutMs = 10_000) {
      await call({ type: 'close', timeoutMs });
      channel.port1.close();
      await worker.terminate();
    },
  };
}
