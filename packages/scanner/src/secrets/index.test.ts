import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileInfo, SecretFinding } from '../types.ts';
import { maskSecret, MASK_MAX_LENGTH } from './mask.ts';
import { SECRET_RULES, secretAnalyzer } from './index.ts';
import { rulesWithKeywords } from './matcher.ts';

const j = (...parts: string[]): string => parts.join('');
const analyzer = secretAnalyzer();

function file(p: string, size = 100): FileInfo {
  return { path: p, size, mode: 0o644, layer: 'sha256:top' };
}

async function scan(p: string, text: string | Buffer): Promise<{ secrets: SecretFinding[]; notes: unknown[] }> {
  const content = typeof text === 'string' ? Buffer.from(text) : text;
  const f = file(p, content.length);
  const r = await analyzer.analyze!(f, content);
  return { secrets: r.secrets ?? [], notes: r.notes ?? [] };
}

let dir = '';
let sshKey = '';
beforeAll(() => {
  // A real OpenSSH private key, made by the real tool.
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-secrets-'));
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'id'), '-C', 'test']);
  sshKey = fs.readFileSync(path.join(dir, 'id'), 'utf8');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('secret analyzer', () => {
  const awsId = j('AK', 'IA', 'Q3EGRIQ7ZK5BDFHW');
  const awsSecret = 'k8Jd3mQp9Lx2Vb7Nc4Rt6Yw1Zs5Ha0Ge3Fu8Io2P';
  const env = ['# app settings', 'PORT=8080', `AWS_ACCESS_KEY_ID=${awsId}`, `AWS_SECRET_ACCESS_KEY=${awsSecret}`, ''].join('\n');

  it('finds and masks keys planted in app/config/.env', async () => {
    const { secrets } = await scan('app/config/.env', env);
    expect(secrets.map((s) => [s.rule, s.line, s.severity, s.masked])).toEqual([
      ['aws-access-key-id', 3, 'critical', 'AKIA****************'],
      ['aws-secret-access-key', 4, 'critical', 'k8Jd****************'],
    ]);
    expect(secrets[0]).toMatchObject({ path: 'app/config/.env', layer: 'sha256:top', title: 'AWS access key ID' });
  });

  it('finds a real private key in root/.ssh/id_rsa and shows only the start of its body', async () => {
    const { secrets } = await scan('root/.ssh/id_rsa', sshKey);
    expect(secrets).toHaveLength(1);
    const body = sshKey.split('\n')[1]!;
    expect(secrets[0]).toMatchObject({ rule: 'private-key', line: 1, masked: body.slice(0, 4) + '*'.repeat(MASK_MAX_LENGTH - 4) });
  });

  it('never puts the secret value in a finding', async () => {
    const { secrets } = await scan('app/config/.env', env + sshKey);
    const all = JSON.stringify(secrets);
    expect(secrets.length).toBe(3);
    expect(all).not.toContain(awsId);
    expect(all).not.toContain(awsSecret);
    for (const line of sshKey.split('\n').slice(1, -2)) expect(all).not.toContain(line.slice(0, 20));
  });

  it("drops AWS's documented example keys", async () => {
    const { secrets } = await scan('app/README.txt', `aws_access_key_id = ${j('AKIA', 'IOSFODNN7EXAMPLE')}\naws_secret_access_key = ${j('wJalrXUtnFEMI/K7MDENG/', 'bPxRfiCYEXAMPLEKEY')}\n`);
    expect(secrets).toEqual([]);
  });

  it('does not report a private key header that is only a string in code', async () => {
    const code = 'if (pem.startsWith("-----BEGIN RSA PRIVATE KEY-----")) {\n  return parseRsa(pem);\n}\n';
    expect((await scan('app/lib/pem.js', code)).secrets).toEqual([]);
  });

  it('does not report URL credentials that are template placeholders', async () => {
    const text = 'A=postgres://${DB_USER}:${DB_PASSWORD}@db:5432/x\nB=https://user:<password>@example.com\nC=redis://:s3cr3t-Pw9@cache:6379\n';
    const { secrets } = await scan('srv/app.env', text);
    expect(secrets.map((s) => [s.rule, s.line, s.masked])).toEqual([['url-credentials', 3, 's3********']]);
  });

  it('skips binary content (a NUL byte near the start)', async () => {
    const bin = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0]), Buffer.from(env)]);
    expect((await scan('usr/bin/tool', bin)).secrets).toEqual([]);
  });

  it('lists a bounded number of findings per file and says how many there were', async () => {
    const small = secretAnalyzer({ maxFindingsPerFile: 2 });
    const text = [1, 2, 3].map((n) => `k${n}=${j('AK', 'IA', 'Q3EGRIQ7ZK5BDFH', String(n))}`).join('\n');
    const r = await small.analyze!(file('app/keys.txt', text.length), Buffer.from(text));
    expect(r.secrets?.map((s) => s.line)).toEqual([1, 2]);
    expect(r.notes?.[0]?.message).toBe('3 secrets found; the first 2 are listed');
  });

  it('wants text files up to 1 MiB outside package data and docs', () => {
    expect(analyzer.wants(file('app/config/.env'))).toBe(true);
    expect(analyzer.wants(file('root/.ssh/id_rsa'))).toBe(true);
    expect(analyzer.wants(file('etc/app/config.yaml', 1024 * 1024))).toBe(true);
    expect(analyzer.wants(file('etc/app/big.log', 1024 * 1024 + 1))).toBe(false);
    expect(analyzer.wants(file('app/empty', 0))).toBe(false);
    expect(analyzer.wants(file('usr/share/doc/openssl/README'))).toBe(false);
    expect(analyzer.wants(file('app/node_modules/jsonwebtoken/test/priv.pem'))).toBe(false);
    expect(analyzer.wants(file('node_modules/x/index.js'))).toBe(false);
    expect(analyzer.wants(file('usr/lib/python3.11/test/keycert.pem'))).toBe(false);
    expect(analyzer.wants(file('usr/local/lib/python3.12/site-packages/x/key.pem'))).toBe(false);
    expect(analyzer.wants(file('app/static/logo.png'))).toBe(false);
    // a name merely containing a skipped directory name is read
    expect(analyzer.wants(file('app/my_node_modules/key.pem'))).toBe(true);
  });
});

describe('keyword prefilter', () => {
  it('selects no rule for text without keywords and only the rules whose keywords occur', () => {
    const plain = Buffer.from('server {\n  listen 80;\n  root /var/www;\n}\n'.repeat(1000));
    expect(rulesWithKeywords(plain, SECRET_RULES)).toEqual([]);
    const some = Buffer.from('see AKIA docs and https://example.com\n');
    expect(rulesWithKeywords(some, SECRET_RULES).map((r) => r.id)).toEqual(['aws-access-key-id', 'url-credentials']);
  });
});

describe('maskSecret', () => {
  it('keeps at most four leading characters, a quarter at most, and caps the length', () => {
    expect(maskSecret('abcdefghijklmnopqrstuvwxyz0123456789')).toBe('abcd' + '*'.repeat(16));
    expect(maskSecret('hunter2')).toBe('h******');
    expect(maskSecret('abc')).toBe('***');
    expect(maskSecret('x'.repeat(500)).length).toBe(MASK_MAX_LENGTH);
  });
});
