import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Asks the kernel for a free TCP port on 127.0.0.1 and releases it.
 * Another process may take it before you bind it: prefer binding to port 0
 * when the program you start can report its port.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close((err) => (err ? reject(err) : resolve(port)));
    });
  });
}

/** A temporary directory and a way to remove it. */
export interface TempDir {
  path: string;
  /** Removes the directory and everything under it; safe to call twice. */
  cleanup(): Promise<void>;
}

/** Creates a fresh directory under the OS temp dir, named `berth-<prefix>-XXXXXX`. */
export async function tempDir(prefix: string): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), `berth-${prefix}-`));
  return {
    path,
    cleanup: () => rm(path, { recursive: true, force: true, maxRetries: 3 }),
  };
}
