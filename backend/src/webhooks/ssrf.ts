import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Where a webhook may not send: addresses that reach the server's own
 * machine or network rather than the public internet. Checked on the
 * addresses a host name resolves to, before any connection is opened, and
 * the connection then goes to exactly the address that was checked (no
 * second lookup a DNS rebinding could answer differently).
 */
const RANGES: [string, number, 'ipv4' | 'ipv6', string][] = [
  ['0.0.0.0', 8, 'ipv4', 'a reserved address'],
  ['10.0.0.0', 8, 'ipv4', 'a private address'],
  ['100.64.0.0', 10, 'ipv4', 'a shared (carrier-grade NAT) address'],
  ['127.0.0.0', 8, 'ipv4', 'a loopback address'],
  ['169.254.0.0', 16, 'ipv4', 'a link-local address'],
  ['172.16.0.0', 12, 'ipv4', 'a private address'],
  ['192.0.0.0', 24, 'ipv4', 'a reserved address'],
  ['192.0.2.0', 24, 'ipv4', 'a documentation address'],
  ['192.168.0.0', 16, 'ipv4', 'a private address'],
  ['198.18.0.0', 15, 'ipv4', 'a benchmarking address'],
  ['198.51.100.0', 24, 'ipv4', 'a documentation address'],
  ['203.0.113.0', 24, 'ipv4', 'a documentation address'],
  ['224.0.0.0', 4, 'ipv4', 'a multicast address'],
  ['240.0.0.0', 4, 'ipv4', 'a reserved address'],
  ['::', 128, 'ipv6', 'a reserved address'],
  ['::1', 128, 'ipv6', 'a loopback address'],
  ['fc00::', 7, 'ipv6', 'a private address'],
  ['fe80::', 10, 'ipv6', 'a link-local address'],
  ['ff00::', 8, 'ipv6', 'a multicast address'],
  ['2001:db8::', 32, 'ipv6', 'a documentation address'],
];

/** Cloud instance metadata services: named as such, they are the usual target. */
const METADATA = new Set(['169.254.169.254', '169.254.170.2', '100.100.100.200', 'fd00:ec2::254']);

const blocked = RANGES.map(([network, prefix, type, reason]) => {
  const list = new BlockList();
  list.addSubnet(network, prefix, type);
  return { list, type, reason };
});

/** Why `address` may not be a webhook's destination, or undefined when it is a public address. */
export function refusedAddressReason(address: string): string | undefined {
  const family = isIP(address);
  if (family === 0) return 'not an IP address';
  const ip = address.toLowerCase();
  if (family === 6) {
    // IPv4 written inside IPv6 (mapped ::ffff:a.b.c.d, NAT64 64:ff9b::a.b.c.d, 6to4 2002:aabb:ccdd::) is that IPv4 address.
    const embedded = embeddedIpv4(ip);
    if (embedded) return refusedAddressReason(embedded);
  }
  if (METADATA.has(ip)) return 'a cloud metadata address';
  const type = family === 4 ? 'ipv4' : 'ipv6';
  for (const range of blocked) if (range.type === type && range.list.check(ip, type)) return range.reason;
  return undefined;
}

function embeddedIpv4(ipv6: string): string | undefined {
  const dotted = /^(?:::ffff:|::ffff:0:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(ipv6);
  if (dotted) return dotted[1];
  const words = expandIpv6(ipv6);
  if (!words) return undefined;
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  // ::ffff:xxxx:xxxx (mapped, hex form) and 64:ff9b::xxxx:xxxx (NAT64)
  if (words.slice(0, 5).every((w) => w === 0) && words[5] === 0xffff) return v4(words[6], words[7]);
  if (words[0] === 0x64 && words[1] === 0xff9b && words.slice(2, 6).every((w) => w === 0)) return v4(words[6], words[7]);
  if (words[0] === 0x2002) return v4(words[1], words[2]);
  return undefined;
}

function expandIpv6(ip: string): number[] | undefined {
  if (ip.includes('.')) return undefined;
  const [head, tail] = ip.split('::');
  const parse = (part: string | undefined) => (part ? part.split(':').map((w) => parseInt(w, 16)) : []);
  const h = parse(head);
  const t = parse(tail);
  if (tail === undefined) return h.length === 8 ? h : undefined;
  return [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
}

export interface WebhookTargetRules {
  readonly allowHttp: boolean;
  readonly allowPrivate: boolean;
}

export class RefusedTargetError extends Error {}

/** The URL rules that need no lookup: https (http only when allowed), a host, no credentials, nothing exotic. */
export function checkWebhookUrl(raw: string, rules: WebhookTargetRules): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new RefusedTargetError('url must be an absolute URL');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && rules.allowHttp)) {
    throw new RefusedTargetError(rules.allowHttp ? 'url must start with https:// or http://' : 'url must start with https://');
  }
  if (url.username || url.password) throw new RefusedTargetError('url must not contain a user name or password');
  if (!url.hostname) throw new RefusedTargetError('url must name a host');
  if (url.hash) throw new RefusedTargetError('url must not contain a fragment (#…)');
  return url;
}

/**
 * The address to connect to for `url`: every address its host resolves to
 * is checked, and one of them returned. Throws RefusedTargetError, naming
 * the reason, when any is refused (a host that resolves to both a public and
 * a private address could otherwise be steered to the private one) or none
 * is found.
 */
export async function resolveWebhookTarget(url: URL, rules: WebhookTargetRules): Promise<{ address: string; family: 4 | 6 }> {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: { address: string; family: number }[];
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await lookup(host, { all: true, verbatim: true });
    } catch {
      throw new RefusedTargetError(`${host} does not resolve to an address`);
    }
  }
  if (addresses.length === 0) throw new RefusedTargetError(`${host} does not resolve to an address`);
  if (!rules.allowPrivate) {
    for (const { address } of addresses) {
      const reason = refusedAddressReason(address);
      if (reason) {
        throw new RefusedTargetError(
          host === address ? `${address} is ${reason}: refused` : `${host} resolves to ${address}, ${reason}: refused`,
        );
      }
    }
  }
  return { address: addresses[0].address, family: addresses[0].family === 6 ? 6 : 4 };
}
