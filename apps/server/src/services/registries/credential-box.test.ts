import { describe, expect, it } from 'vitest';
import { CredentialBox } from './credential-box.ts';

describe('CredentialBox', () => {
  const box = new CredentialBox('a-secret-key-of-at-least-32-characters!');

  it('seals and opens, with a fresh IV each time and nothing of the value in the sealed form', () => {
    const a = box.seal('token-Abc123', 'hub');
    const b = box.seal('token-Abc123', 'hub');
    expect(a).not.toBe(b);
    expect(a).not.toContain('token-Abc123');
    expect(a).not.toContain(Buffer.from('token-Abc123').toString('base64'));
    expect(box.open(a, 'hub')).toBe('token-Abc123');
    expect(box.open(b, 'hub')).toBe('token-Abc123');
  });

  it('does not open for another registry, with another key, or once altered', () => {
    const sealed = box.seal('pw', 'hub');
    expect(() => box.open(sealed, 'lab')).toThrow();
    expect(() => new CredentialBox('another-secret-key-of-32-characters-or-more').open(sealed, 'hub')).toThrow();
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3]!, 'base64url');
    body[0] = body[0]! ^ 1;
    expect(() => box.open([parts[0], parts[1], parts[2], body.toString('base64url')].join('.'), 'hub')).toThrow();
    expect(() => box.open('v0.x.y.z', 'hub')).toThrow(/not in a form/);
  });
});
