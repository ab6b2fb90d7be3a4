import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startDistribution } from '@berth/testkit';

export const E2E_ADMIN_PASSWORD = 'e2e-admin-password';

/** Starts a real registry and the built Berth in front of it; tears both down after. */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-e2e-'));
  const registry = await startDistribution();
  const child = spawn(process.execPath, ['apps/server/dist/cli.js'], {
    env: {
      ...process.env,
      BERTH_PORT: '0',
      BERTH_HOST: '127.0.0.1',
      BERTH_DATA_DIR: dataDir,
      BERTH_UPSTREAM_URL: registry.url,
      BERTH_ADMIN_PASSWORD: E2E_ADMIN_PASSWORD,
      BERTH_PULL_FLUSH_MS: '100',
      BERTH_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /Berth console and registry: (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!.replace('localhost', '127.0.0.1'));
    });
    child.once('exit', (code) => reject(new Error(`Berth exited with ${code}`)));
  });
  process.env.BERTH_E2E_URL = url;
  process.env.BERTH_E2E_HOST = new URL(url).host;
  process.env.BERTH_E2E_ADMIN_PASSWORD = E2E_ADMIN_PASSWORD;
  return async () => {
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
    await registry.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
