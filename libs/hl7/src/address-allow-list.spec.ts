import { AddressAllowList } from './address-allow-list';

describe('AddressAllowList', () => {
  it('matches single addresses and CIDR ranges of both families', () => {
    const list = AddressAllowList.parse(' 10.0.0.0/8, 192.168.1.7 ,fd00::/8, 2001:db8::1');
    expect(list.allows('10.200.3.4')).toBe(true);
    expect(list.allows('11.0.0.1')).toBe(false);
    expect(list.allows('192.168.1.7')).toBe(true);
    expect(list.allows('192.168.1.8')).toBe(false);
    expect(list.allows('fd12:3456::9')).toBe(true);
    expect(list.allows('fe80::1')).toBe(false);
    expect(list.allows('2001:db8::1')).toBe(true);
    expect(list.allows('2001:db8::2')).toBe(false);
  });

  it('treats IPv4-mapped IPv6 peers as the IPv4 address they carry, and mapped entries likewise', () => {
    const list = AddressAllowList.parse('127.0.0.1');
    expect(list.allows('::ffff:127.0.0.1')).toBe(true);
    expect(list.allows('::ffff:127.0.0.2')).toBe(false);
    const mapped = AddressAllowList.parse('::ffff:10.1.2.3, ::ffff:172.16.0.0/108');
    expect(mapped.allows('10.1.2.3')).toBe(true);
    expect(mapped.allows('::ffff:10.1.2.3')).toBe(true);
    expect(mapped.allows('172.16.5.5')).toBe(true);
    expect(mapped.allows('172.32.0.1')).toBe(false);
    expect(mapped.toString()).toBe('10.1.2.3,172.16.0.0/12');
  });

  it('refuses peers without a usable address', () => {
    const list = AddressAllowList.parse('0.0.0.0/0');
    expect(list.allows('8.8.8.8')).toBe(true);
    expect(list.allows(undefined)).toBe(false);
    expect(list.allows('')).toBe(false);
    expect(list.allows('::1')).toBe(false);
  });

  it.each([
    ['', /at least one/],
    [' , ', /at least one/],
    ['10.0.0.300', /"10.0.0.300" is not an IP/],
    ['example.org', /"example.org" is not an IP/],
    ['10.0.0.0/33', /invalid prefix/],
    ['fd00::/129', /invalid prefix/],
    ['10.0.0.0/x', /invalid prefix/],
    ['10.0.0.0/8/8', /not an IP/],
    ['::ffff:10.0.0.0/90', /invalid prefix/],
  ])('rejects %j with a message naming the entry', (spec, message) => {
    expect(() => AddressAllowList.parse(spec)).toThrow(message);
  });
});
