import dns from 'node:dns';
import net, { BlockList } from 'node:net';

/**
 * Which addresses Berth may connect to for an external registry. Refused unless an admin
 * allows them (BERTH_REGISTRY_ALLOW): link-local (which holds the cloud metadata services at
 * 169.254.169.254 and fd00:ec2::254), other metadata addresses, unspecified, multicast and
 * broadcast. Loopback and private ranges stay open: a lab registry lives there.
 * Plain HTTP is accepted only for loopback and allowed hosts.
 */
export class AddressGuard {
  private readonly refused = new BlockList();
  private readonly allowed = new BlockList();
  private readonly allowedHosts = new Set<string>();

  constructor(allow: string[] = []) {
    this.refused.addSubnet('0.0.0.0', 8, 'ipv4');
    this.refused.addSubnet('169.254.0.0', 16, 'ipv4');
    this.refused.addAddress('100.100.100.200', 'ipv4'); // Alibaba Cloud metadata
    this.refused.addSubnet('224.0.0.0', 4, 'ipv4');
    this.refused.addAddress('255.255.255.255', 'ipv4');
    this.refused.addAddress('::', 'ipv6');
    this.refused.addSubnet('fe80::', 10, 'ipv6');
    this.refused.addSubnet('ff00::', 8, 'ipv6');
    this.refused.addAddress('fd00:ec2::254', 'ipv6'); // AWS metadata over IPv6
    for (const entry of allow) {
      const [addr, bits] = entry.split('/');
      const family = net.isIP(addr ?? '');
      if (family && bits !== undefined) this.allowed.addSubnet(addr!, Number(bits), family === 6 ? 'ipv6' : 'ipv4');
      else if (family) this.allowed.addAddress(addr!, family === 6 ? 'ipv6' : 'ipv4');
      else this.allowedHosts.add(entry.toLowerCase());
    }
  }

  /** True when Berth must not connect to `address` (an IP literal). */
  refuses(address: string): boolean {
    let family = net.isIP(address);
    if (family === 0) return true;
    let addr = address;
    // An IPv4-mapped IPv6 address is the IPv4 address it maps.
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(addr);
    if (mapped) {
      addr = mapped[1]!;
      family = 4;
    }
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (this.allowed.check(addr, type)) return false;
    return this.refused.check(addr, type);
  }

  /** True when plain HTTP may be used to `hostname`: loopback, or a host or address an admin allowed. */
  allowsPlainHttp(hostname: string): boolean {
    const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
    if (host === 'localhost' || host.endsWith('.localhost')) return true;
    if (this.allowedHosts.has(host)) return true;
    const family = net.isIP(host);
    if (family === 4) return host.startsWith('127.') || this.allowed.check(host, 'ipv4');
    if (family === 6) return host === '::1' || this.allowed.check(host, 'ipv6');
    return false;
  }

  /**
   * A `lookup` for net/tls.connect that resolves as usual and then refuses a refused address,
   * at connect time: a name that resolved to a public address at the test and to a metadata
   * address later (DNS rebinding) is refused then too.
   */
  lookup: net.LookupFunction = (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = addresses as dns.LookupAddress[];
      const bad = list.find((a) => this.refuses(a.address));
      if (bad) return callback(blockedError(hostname, bad.address), '', 0);
      if ((options as dns.LookupOptions).all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
      const first = list[0];
      if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
      callback(null, first.address, first.family);
    });
  };
}

/** The error a refused address raises (`code` EBLOCKED), naming the address, not any credential. */
export function blockedError(host: string, address: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${host} resolves to ${address}, an address Berth does not connect to`), { code: 'EBLOCKED' });
}
