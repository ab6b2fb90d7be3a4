import { describe, expect, it } from 'vitest';
import { findSecrets, WINDOW } from './matcher.ts';
import { SECRET_RULES, type SecretRule } from './rules.ts';

// Test tokens are assembled at run time so that this file holds no token-shaped literal.
const j = (...parts: string[]): string => parts.join('');
const b64 = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7';

/** One plausible, fake secret per rule, the line it sits on, and the secret part the rule masks. */
const SAMPLES: Record<string, { line: string; secret: string; fill: string }> = {
  'gcp-service-account-key': { line: j('  "private_key": "-----BEGIN PRIVATE KEY-----\\n', b64, '\\n"'), secret: b64.slice(0, 40), fill: 'A' },
  'private-key': { line: j('-----BEGIN OPENSSH PRIVATE KEY-----\n', b64, '\n'), secret: b64.slice(0, 40), fill: '-' },
  'aws-access-key-id': { line: j('key=AK', 'IA', 'Q3EGRIQ7ZK5BDFHW'), secret: j('AK', 'IA', 'Q3EGRIQ7ZK5BDFHW'), fill: 'Z' },
  'aws-secret-access-key': {
    line: j('aws_secret_', 'access_key = ', 'k8Jd3mQp9Lx2Vb7Nc4Rt6Yw1Zs5Ha0Ge3Fu8Io2P'),
    secret: 'k8Jd3mQp9Lx2Vb7Nc4Rt6Yw1Zs5Ha0Ge3Fu8Io2P'.slice(0, 40),
    fill: 'a',
  },
  'github-token': { line: j('token: gh', 'p_', 'x'.repeat(10), '1234567890abcdefghijKLMNOP'), secret: j('gh', 'p_', 'x'.repeat(10), '1234567890abcdefghijKLMNOP'), fill: 'a' },
  'github-fine-grained-token': { line: j('GH=github_', 'pat_', '11ABCDEFG0', 'a'.repeat(72)), secret: j('github_', 'pat_', '11ABCDEFG0', 'a'.repeat(72)), fill: 'b' },
  'gitlab-token': { line: j('"glp', 'at-', 'Zx8Yw7Vu6Ts5Rq4Po3Nm', '"'), secret: j('glp', 'at-', 'Zx8Yw7Vu6Ts5Rq4Po3Nm'), fill: 'c' },
  'slack-token': { line: j('SLACK=xo', 'xb-', '123456789012-1234567890123-', 'AbCdEfGhIjKlMnOpQrStUvWx'), secret: j('xo', 'xb-', '123456789012-1234567890123-', 'AbCdEfGhIjKlMnOpQrStUvWx'), fill: '1' },
  'slack-webhook': {
    line: j('url = "https://hooks.', 'slack.com/services/', 'T0ABCDEFG/B0ABCDEFG/', 'abcdefghijklmnopqrstuvwx"'),
    secret: j('T0ABCDEFG/B0ABCDEFG/', 'abcdefghijklmnopqrstuvwx'),
    fill: 'q',
  },
  'stripe-secret-key': { line: j('STRIPE=sk', '_live_', '4eC39HqLyjWDarjtT1zdp7dc'), secret: j('sk', '_live_', '4eC39HqLyjWDarjtT1zdp7dc'), fill: 'x' },
  'google-api-key': { line: j('key: AI', 'za', 'SyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q'), secret: j('AI', 'za', 'SyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q'), fill: 'w' },
  'npm-token': { line: j('//registry.npmjs.org/:_authToken=np', 'm_', 'aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dE3fG5'), secret: j('np', 'm_', 'aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dE3fG5'), fill: 'k' },
  'pypi-token': { line: j('password = py', 'pi-AgEIcHlwaS5vcmc', 'CJDYxYjQ2', 'Q'.repeat(60)), secret: j('py', 'pi-AgEIcHlwaS5vcmc', 'CJDYxYjQ2', 'Q'.repeat(60)), fill: 'Q' },
  'dockerhub-token': { line: j('DOCKER_TOKEN=dck', 'r_pat_', 'Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8Qr9'), secret: j('dck', 'r_pat_', 'Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8Qr9'), fill: 'z' },
  'url-credentials': { line: 'DATABASE_URL=postgres://shop:Kx93-pqL2w@db.internal:5432/shop', secret: 'Kx93-pqL2w', fill: 'a' },
};

const ONE_MIB = 1024 * 1024;

/** The quantifier-bearing parts of a regex source: groups with what follows them, and quantifiers outside classes. */
function structure(source: string): { unbounded: string[]; quantifiedGroups: { body: string; quantifier: string }[] } {
  const unbounded: string[] = [];
  const quantifiedGroups: { body: string; quantifier: string }[] = [];
  const open: number[] = [];
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') open.push(i);
    else if (c === ')') {
      const start = open.pop() ?? 0;
      const q = /^(?:[*+?]|\{\d+(?:,\d*)?\})/.exec(source.slice(i + 1));
      if (q) quantifiedGroups.push({ body: source.slice(start + 1, i), quantifier: q[0] });
    } else if (c === '*' || c === '+') unbounded.push(`${c} at ${i}`);
    else if (c === '{' && /^\{\d+,\}/.test(source.slice(i))) unbounded.push(`{n,} at ${i}`);
  }
  return { unbounded, quantifiedGroups };
}

/** True when a group body holds a quantifier (outside classes, escapes and look-arounds' markers). */
function hasQuantifier(body: string): boolean {
  const plain = body.replace(/\\./g, '').replace(/\[[^\]]*\]/g, 'C');
  return /[*+]|\{\d/.test(plain) || /[^(]\?(?![:=!<])/.test(plain);
}

describe('secret rules', () => {
  it('has a sample for every rule (and no sample without a rule)', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual(SECRET_RULES.map((r) => r.id).sort());
  });

  it.each(SECRET_RULES.map((r) => [r.id, r] as [string, SecretRule]))('%s: the regex has no construct that can backtrack without bound', (_id, rule) => {
    const { unbounded, quantifiedGroups } = structure(rule.regex.source);
    expect(unbounded, 'unbounded quantifiers').toEqual([]);
    for (const g of quantifiedGroups) {
      // A group may only be made optional, and then must not itself repeat anything.
      expect(g.quantifier, `group (${g.body})`).toBe('?');
      expect(hasQuantifier(g.body.replace(/^\?(?:<[a-z]+>|:)/, '')), `group (${g.body})`).toBe(false);
    }
    expect(rule.regex.flags).toContain('g');
    expect(rule.keywords.length).toBeGreaterThan(0);
  });

  it('the structural check catches the constructs it is meant to catch', () => {
    expect(structure('(a+)+').unbounded.length).toBeGreaterThan(0);
    expect(structure('(?:ab{1,9}){1,3}').quantifiedGroups[0]?.quantifier).toBe('{1,3}');
    expect(hasQuantifier('?:a{1,4}|b')).toBe(true);
    expect(hasQuantifier('?:RSA |EC ')).toBe(false);
  });

  it('does not report an overlong token that a window edge cuts to a valid length', () => {
    const id = j('AK', 'IA', 'B'.repeat(16));
    // The first keyword's window ends exactly after `id`; the token runs on past it.
    const line = 'AKIA ' + ' '.repeat(WINDOW - 5 - id.length) + id + 'CCCC';
    expect(findSecrets(line, SECRET_RULES)).toEqual([]);
    expect(findSecrets(line.slice(0, -4), SECRET_RULES).map((m) => m.secret)).toEqual([id]);
  });

  it.each(Object.entries(SAMPLES))('%s: finds its sample, with the secret part and every keyword check passing', (id, s) => {
    const found = findSecrets(`before\n${s.line}\nafter\n`, SECRET_RULES);
    expect(found.map((m) => [m.rule.id, m.line, m.secret])).toEqual([[id, 2, s.secret]]);
    const rule = SECRET_RULES.find((r) => r.id === id)!;
    expect(rule.keywords.some((k) => s.line.includes(k))).toBe(true);
  });

  it.each(SECRET_RULES.map((r) => [r.id, r] as [string, SecretRule]))('%s: 1 MiB adversarial lines give the expected matches', (id, rule) => {
    const s = SAMPLES[id]!;
    const keyword = rule.keywords[0]!;
    // The keyword repeated back to back: no token in it.
    const repeated = keyword.repeat(Math.ceil(ONE_MIB / keyword.length));
    expect(findSecrets(repeated, [rule])).toEqual([]);
    // The sample with its secret run on for 1 MiB of its own characters: too long to be a
    // token; the key rules read a prefix of the key body, so for them it is still one key.
    const runOn = s.line.replace(s.secret, s.secret + s.fill.repeat(ONE_MIB));
    const keyRules = ['private-key', 'gcp-service-account-key'];
    expect(findSecrets(runOn, [rule]).length).toBe(keyRules.includes(id) ? 1 : 0);
    // The sample in the middle of a 1 MiB line of noise: found once, on line 1, where it is.
    const noise = 'x '.repeat(ONE_MIB / 4);
    const found = findSecrets(noise + s.line + ' ' + noise, [rule]);
    expect(found.map((m) => [m.line, m.secret])).toEqual([[1, s.secret]]);
    expect(found[0]!.start).toBeGreaterThanOrEqual(noise.length);
    expect(found[0]!.end).toBeLessThanOrEqual(noise.length + s.line.length);
  });
});
