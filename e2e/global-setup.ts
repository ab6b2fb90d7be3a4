import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startBuiltBerth } from '@berth/testkit';

export const E2E_ADMIN_PASSWORD = 'e2e-admin-password';

/**
 * Starts the built Berth on its defaults, as `npm start` does: its embedded registry, SQLite,
 * everything under a temp data dir. Tears it down after.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-e2e-'));
  const berth = await startBuiltBerth({
    BERTH_DATA_DIR: dataDir,
    BERTH_ADMIN_PASSWORD: E2E_ADMIN_PASSWORD,
    BERTH_PULL_FLUSH_MS: '100',
    BERTH_LOG_LEVEL: 'warn',
  });
  process.env.BERTH_E2E_URL = berth.url;
  process.env.BERTH_E2E_HOST = new URL(berth.url).host;
  process.env.BERTH_E2E_ADMIN_PASSWORD = E2E_ADMIN_PASSWORD;
  return async () => {
    await berth.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
