import { createSqliteStore } from './sqlite.ts';
import { storeSuite } from './store-suite.ts';

storeSuite('sqlite', async () => {
  const store = createSqliteStore(':memory:');
  await store.migrate();
  return store;
});
