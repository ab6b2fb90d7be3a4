import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startBuiltBerth, startDistribution } from '@berth/testkit';

export const E2E_ADMIN_PASSWORD = 'e2e-admin-password';

/** Starts a real registry and the built Berth in front of it; tears both down after. */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-e2e-'));
  const registry = await startDistribution();
  const berth = await startBuiltBerth({
    BERTH_DATA_DIR: dataDir,
    BERTH_UPSTREAM_URL: registry.url,
    BERTH_ADMIN_PASSWORD: E2E_ADMIN_PASSWORD,
    BERTH_PULL_FLUSH_MS: '100',
    BERTH_LOG_LEVEL: 'warn',
  });
  process.env.BERTH_E2E_URL = berth.url;
  process.env.BERTH_E2E_HOST = new URL(berth.url).host;
  process.env.BERTH_E2E_ADMIN_PASSWORD = E2E_ADMIN_PASSWORD;
  // The registry behind Berth, to compare what the console shows with what it serves.
  process.env.BERTH_E2E_REGISTRY_HOST = new URL(registry.url).host;
  return async () => {
    await berth.stop();
    await registry.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
