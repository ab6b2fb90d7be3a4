import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort, tempDir } from './ports.ts';

describe('ports', () => {
  it('freePort returns a port that can be bound', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    const server = createServer();
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
    await new Promise((resolve) => server.close(resolve));
  });

  it('tempDir creates a directory and cleanup removes it (twice is fine)', async () => {
    const dir = await tempDir('ports');
    expect(existsSync(dir.path)).toBe(true);
    expect(dir.path).toMatch(/berth-ports-/);
    await dir.cleanup();
    await dir.cleanup();
    expect(existsSync(dir.path)).toBe(false);
  });
});
