import { describe, expect, it } from 'vitest';
import { AddressGuard } from './address-guard.ts';

describe('AddressGuard', () => {
  const guard = new AddressGuard();

  it('refuses link-local, metadata, unspecified, multicast and broadcast addresses, also IPv4-mapped', () => {
    for (const a of ['169.254.169.254', '169.254.0.1', '100.100.100.200', '0.0.0.0', '0.1.2.3', '224.0.0.1', '239.255.255.250', '255.255.255.255', '::', 'fe80::1', 'febf::1', 'ff02::1', 'fd00:ec2::254', '::ffff:169.254.169.254', 'not-an-ip']) {
      expect(guard.refuses(a), a).toBe(true);
    }
  });

  it('lets loopback, private and public addresses through', () => {
    for (const a of ['127.0.0.1', '10.1.2.3', '192.168.0.10', '172.16.0.1', '8.8.8.8', '100.100.100.201', '::1', 'fd00::1', '2001:db8::1', '::ffff:10.0.0.1']) {
      expect(guard.refuses(a), a).toBe(false);
    }
  });

  it('lets an admin allow a refused range, and plain HTTP to named lab hosts', () => {
    const lab = new AddressGuard(['169.254.10.0/24', 'registry.lab', '10.0.0.5', 'fe80::7']);
    expect(lab.refuses('169.254.10.9')).toBe(false);
    expect(lab.refuses('169.254.169.254')).toBe(true);
    expect(lab.refuses('fe80::7')).toBe(false);
    expect(lab.allowsPlainHttp('registry.lab')).toBe(true);
    expect(lab.allowsPlainHttp('10.0.0.5')).toBe(true);
    expect(lab.allowsPlainHttp('10.0.0.6')).toBe(false);
  });

  it('allows plain HTTP only to loopback by default', () => {
    for (const h of ['127.0.0.1', '127.9.9.9', 'localhost', 'registry.localhost', '[::1]']) expect(guard.allowsPlainHttp(h), h).toBe(true);
    for (const h of ['registry.example.com', '10.0.0.5', '[fe80::1]', 'localhost.example.com']) expect(guard.allowsPlainHttp(h), h).toBe(false);
  });

  it('refuses at lookup time a name that resolves to a refused address', async () => {
    const strict = new AddressGuard();
    // `localhost` resolves to loopback (allowed); the resolver hands a literal back as itself.
    const resolve = (g: AddressGuard, host: string) =>
      new Promise<{ err: NodeJS.ErrnoException | null; address: string }>((r) => g.lookup(host, { family: 0 }, (err, address) => r({ err, address: String(address) })));
    expect((await resolve(strict, 'localhost')).err).toBeNull();
    const blocked = await resolve(strict, '169.254.169.254');
    expect(blocked.err?.code).toBe('EBLOCKED');
    expect(blocked.err?.message).toContain('169.254.169.254');
  });
});
