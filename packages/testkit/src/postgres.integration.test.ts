import { existsSync } from 'node:fs';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createDatabase, startPostgres } from './postgres.ts';

describe('startPostgres', () => {
  it('runs a throwaway cluster with databases to create, and removes it on stop', async () => {
    const server = await startPostgres();
    try {
      expect(server.url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
      const url = await createDatabase(server.url, 'one "odd" name');
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const { rows } = await client.query<{ db: string; ver: string }>('select current_database() as db, current_setting($1) as ver', [
        'server_version_num',
      ]);
      await client.end();
      expect(rows[0]).toMatchObject({ db: 'one "odd" name' });
      expect(Number(rows[0]!.ver)).toBeGreaterThanOrEqual(150000);
    } finally {
      await server.stop();
    }
    expect(existsSync(server.dataDir)).toBe(false);
    await expect(new pg.Client({ connectionString: server.url }).connect()).rejects.toThrow();
  }, 60_000);
});
