export * from './types.ts';
export { createSqliteStore } from './sqlite.ts';
export { KyselyStore } from './kysely-store.ts';
