import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startBuiltBerth } from '@berth/testkit';
import { writeAdvisoryDatabase } from './fixtures-advisories';

export const E2E_ADMIN_PASSWORD = 'e2e-admin-password';

/**
 * Starts the built Berth on its defaults, as `npm start` does: its embedded registry, SQLite,
 * everything under a temp data dir. Tears it down after. Two settings differ for the
 * registries spec: garbage collection has no grace period (what it just deleted is garbage
 * at once), and no scheduled sync (it puts content in the registry around Berth and syncs
 * by hand). The scanning spec's advisory database is a small directory of OSV records
 * (BERTH_VULN_DB).
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-e2e-'));
  const vulnDb = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-e2e-vuln-db-'));
  writeAdvisoryDatabase(vulnDb);
  const berth = await startBuiltBerth({
    BERTH_DATA_DIR: dataDir,
    BERTH_ADMIN_PASSWORD: E2E_ADMIN_PASSWORD,
    BERTH_PULL_FLUSH_MS: '100',
    BERTH_LOG_LEVEL: 'warn',
    BERTH_GC_GRACE_MINUTES: '0',
    BERTH_RECONCILE_INTERVAL_MINUTES: '0',
    // Every spec signs in, several times a minute from one address; the limit itself is
    // tested in apps/server/test/console-session.test.ts.
    BERTH_LOGIN_RATE_LIMIT: '1000',
    BERTH_VULN_DB: vulnDb,
  });
  process.env.BERTH_E2E_URL = berth.url;
  process.env.BERTH_E2E_HOST = new URL(berth.url).host;
  process.env.BERTH_E2E_ADMIN_PASSWORD = E2E_ADMIN_PASSWORD;
  process.env.BERTH_E2E_DATA_DIR = dataDir;
  process.env.BERTH_E2E_VULN_DB = vulnDb;
  return async () => {
    await berth.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(vulnDb, { recursive: true, force: true });
  };
}
