export * from './types.ts';
export { createSqliteStore } from './sqlite.ts';
export { createPostgresStore } from './postgres.ts';
export { KyselyStore } from './kysely-store.ts';
export { storeDiskFault } from './storage-faults.ts';
