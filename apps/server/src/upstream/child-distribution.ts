import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';

export const DISTRIBUTION_BIN = '/usr/bin/docker-registry';

export interface ChildRegistry {
  url: string;
  stop(): Promise<void>;
}

/**
 * Runs Debian's CNCF distribution as Berth's upstream on a loopback port, storing
 * under the data dir: the zero-setup default until the embedded registry lands.
 */
export async function startChildDistribution(dataDir: string, log: Logger): Promise<ChildRegistry> {
  const root = path.join(dataDir, 'registry');
  fs.mkdirSync(root, { recursive: true });
  const configPath = path.join(dataDir, 'distribution.yml');
  fs.writeFileSync(
    configPath,
    [
      'version: 0.1',
      'log:',
      '  level: info',
      '  accesslog:',
      '    disabled: true',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${JSON.stringify(root)}`,
      '  delete:',
      '    enabled: true',
      'http:',
      '  addr: 127.0.0.1:0',
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(DISTRIBUTION_BIN, ['serve', configPath], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', REGISTRY_HTTP_ADDR: '127.0.0.1:0', REGISTRY_HTTP_SECRET: randomBytes(24).toString('hex') },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error('the registry did not start within 15 s')), 15_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const m = /listening on (127\.0\.0\.1:\d+)/.exec(seen);
      if (m) {
        clearTimeout(timer);
        resolve(`http://${m[1]}`);
      }
      if (seen.length > 65536) seen = seen.slice(-4096);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the registry exited with ${code}: ${seen.slice(-500)}`));
    });
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    const text = chunk.toString().trim();
    if (/level=(error|fatal|panic)/.test(text)) log.warn({ registry: text.slice(0, 500) }, 'registry');
  });
  log.info({ url, root }, 'started the local registry');
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}
