// The embedded registry inside a worker thread: Berth's front door and the registry's file
// I/O and hashing then run on two cores instead of sharing one event loop.
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { serveExchange } from './port-exchange.ts';
import { startRegistry, type RegistryLogger, type RegistryOptions } from './server.ts';
import type { WorkerReply, WorkerRequest } from './worker-host.ts';

const port = parentPort!;
const forward =
  (level: 'info' | 'warn' | 'error') =>
  (obj: object, msg?: string): void => {
    const safe = Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, v instanceof Error ? { message: v.message, stack: v.stack } : v]));
    port.postMessage({ type: 'log', level, obj: safe, msg } satisfies WorkerReply);
  };
const log: RegistryLogger = { info: forward('info'), warn: forward('warn'), error: forward('error') };

const { exchange, ...options } = workerData as Omit<RegistryOptions, 'log'> & { exchange: MessagePort };
const registry = await startRegistry({ ...options, log });
// Berth's front door sends its /v2 traffic here, over a MessagePort rather than loopback HTTP.
serveExchange(exchange, registry.handle);
port.postMessage({ type: 'ready', url: registry.url, host: registry.host, port: registry.port } satisfies WorkerReply);

port.on('message', (req: WorkerRequest) => {
  const reply = (body: Omit<Extract<WorkerReply, { type: 'result' }>, 'type' | 'id'>) => port.postMessage({ type: 'result', id: req.id, ...body } satisfies WorkerReply);
  if (req.type === 'gc') {
    registry.collectGarbage(req.options).then(
      (report) => reply({ report }),
      (err: unknown) => reply({ error: err instanceof Error ? err.message : String(err) }),
    );
  } else if (req.type === 'close') {
    void registry.close(req.timeoutMs).then(() => {
      reply({});
      exchange.close();
      port.close();
    });
  }
});
