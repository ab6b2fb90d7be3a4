import { createSqliteStore } from './sqlite.ts';
import { storeSuites } from './suites/all.ts';
import { upgradeSuite } from './suites/upgrade.suite.ts';

storeSuites('sqlite', async () => {
  const store = createSqliteStore(':memory:');
  await store.migrate();
  return store;
});

upgradeSuite('sqlite', async () => createSqliteStore(':memory:'));
