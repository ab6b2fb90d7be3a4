import { createSqliteStore } from './sqlite.ts';
import { storeSuite, upgradeSuite } from './store-suite.ts';

storeSuite('sqlite', async () => {
  const store = createSqliteStore(':memory:');
  await store.migrate();
  return store;
});

upgradeSuite('sqlite', async () => createSqliteStore(':memory:'));
