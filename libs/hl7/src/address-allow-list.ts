import { BlockList, isIP } from 'node:net';

/** `::ffff:a.b.c.d` is how a dual-stack socket reports an IPv4 peer; it is matched as IPv4. */
const IPV4_MAPPED = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

function unmapped(address: string): string {
  return IPV4_MAPPED.exec(address)?.[1] ?? address;
}

/**
 * Source addresses allowed to connect: single IPs and CIDR ranges, IPv4 and IPv6. IPv4-mapped
 * IPv6 addresses (in the list or on a socket) count as the IPv4 address they carry.
 */
export class AddressAllowList {
  private readonly list = new BlockList();

  private constructor(readonly entries: readonly string[]) {
    for (const entry of entries) {
      const [ip, prefix] = entry.split('/');
      const family = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
      if (prefix === undefined) this.list.addAddress(ip, family);
      else this.list.addSubnet(ip, Number(prefix), family);
    }
  }

  /**
   * Parses a comma-separated list such as `10.0.0.0/8, 192.168.1.7, fd00::/8, ::ffff:127.0.0.1`.
   * @throws Error naming the first entry that is not an IP address or CIDR range.
   */
  static parse(spec: string): AddressAllowList {
    const entries = spec
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (!entries.length) throw new Error('must list at least one IP address or CIDR range');
    const normalised = entries.map((entry) => {
      const parts = entry.split('/');
      if (parts.length > 2) throw new Error(`"${entry}" is not an IP address or CIDR range`);
      const raw = parts[0];
      const ip = unmapped(raw);
      const family = isIP(ip);
      if (!family) throw new Error(`"${entry}" is not an IP address or CIDR range`);
      if (parts.length === 1) return ip;
      if (!/^\d{1,3}$/.test(parts[1])) throw new Error(`"${entry}" has an invalid prefix length`);
      let prefix = Number(parts[1]);
      // a mapped range (::ffff:10.0.0.0/104) is the IPv4 range /8
      if (ip !== raw) prefix -= 96;
      if (prefix < 0 || prefix > (family === 4 ? 32 : 128)) throw new Error(`"${entry}" has an invalid prefix length`);
      return `${ip}/${prefix}`;
    });
    return new AddressAllowList(normalised);
  }

  /** True when the socket address (as `socket.remoteAddress` gives it) is on the list. */
  allows(address: string | undefined): boolean {
    if (!address) return false;
    const ip = unmapped(address);
    const family = isIP(ip);
    if (!family) return false;
    return this.list.check(ip, family === 4 ? 'ipv4' : 'ipv6');
  }

  toString(): string {
    return this.entries.join(',');
  }
}
