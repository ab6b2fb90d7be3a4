import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig: the store', () => {
  it('uses SQLite under the data dir unless BERTH_DATABASE_URL names a PostgreSQL database', () => {
    expect(loadConfig({}).databaseUrl).toBeUndefined();
    expect(loadConfig({ BERTH_DATABASE_URL: '' }).databaseUrl).toBeUndefined();
    expect(loadConfig({ BERTH_DATABASE_URL: 'postgres://berth:pw@db:5432/berth' }).databaseUrl).toBe('postgres://berth:pw@db:5432/berth');
    expect(loadConfig({ BERTH_DATABASE_URL: 'postgresql:///berth?host=/run/postgresql' }).databaseUrl).toBe(
      'postgresql:///berth?host=/run/postgresql',
    );
  });

  it('names a bad BERTH_DATABASE_URL with every other bad variable in one message', () => {
    const load = () => loadConfig({ BERTH_DATABASE_URL: 'mysql://db/berth', BERTH_PORT: 'eighty' });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/BERTH_PORT: .*\n.*BERTH_DATABASE_URL: must be a postgres:\/\/ URL/);
  });
});

describe('loadConfig: the upstream registry', () => {
  it('keeps credentials out of BERTH_UPSTREAM_URL (the console shows the URL)', () => {
    expect(loadConfig({ BERTH_UPSTREAM_URL: 'https://registry.example.com:5000/' }).upstream).toEqual({ url: 'https://registry.example.com:5000' });
    const load = () => loadConfig({ BERTH_UPSTREAM_URL: 'https://berth:s3cret@registry.example.com' });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/BERTH_UPSTREAM_URL: must not carry credentials; set BERTH_UPSTREAM_USERNAME and BERTH_UPSTREAM_PASSWORD/);
    expect(load).not.toThrow(/s3cret/);
  });
});

describe('loadConfig: the first admin password', () => {
  it('holds BERTH_ADMIN_PASSWORD to the rule every account password meets, without echoing it', () => {
    expect(loadConfig({ BERTH_ADMIN_PASSWORD: 'ten-chars!' }).adminPassword).toBe('ten-chars!');
    const load = () => loadConfig({ BERTH_ADMIN_PASSWORD: 'nine-char' });
    expect(load).toThrow(/BERTH_ADMIN_PASSWORD: must be at least 10 characters/);
    expect(load).not.toThrow(/nine-char/);
  });
});

describe('loadConfig: external registries', () => {
  it('reads the allow list and the request timeout', () => {
    const c = loadConfig({ BERTH_REGISTRY_ALLOW: ' Lab.Example , 10.0.0.0/8,', BERTH_REGISTRY_TIMEOUT_SECONDS: '3' });
    expect(c.registryAllow).toEqual(['lab.example', '10.0.0.0/8']);
    expect(c.registryTimeoutMs).toBe(3000);
    expect(loadConfig({}).registryTimeoutMs).toBe(10_000);
  });
});
