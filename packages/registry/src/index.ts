export { startRegistry, type EmbeddedRegistry, type RegistryHandle, type RegistryOptions, type RegistryLogger } from './server.ts';
export { RegistryStorage } from './storage.ts';
export { collectGarbage, type GcOptions, type GcReport } from './gc.ts';
export { startRegistryWorker, type RegistryWorker } from './worker-host.ts';
export type { ExchangeReply, ExchangeRequestOptions } from './port-exchange.ts';
