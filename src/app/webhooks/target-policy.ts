import dns from 'node:dns/promises';
import net from 'node:net';
import type { WebhookTargetConfig } from '../../config/config.js';
import { AppError } from '../../domain/shared/errors.js';

/**
 * Where a webhook may be delivered (issue 7, finding 6). By default only public addresses: a URL
 * whose host resolves to loopback, private (RFC 1918, fc00::/7), link-local (169.254/16 with the
 * cloud metadata service, fe80::/10), CGNAT, unspecified, multicast or other special-purpose
 * addresses is refused, at registration and again at each delivery (the runner resolves the name
 * itself, checks every address, then connects to the checked one, so DNS rebinding cannot slip a
 * private address in between). WEBHOOK_ALLOW_PRIVATE=true lifts the check; WEBHOOK_ALLOWED_HOSTS
 * allows named hosts (whatever they resolve to) and address ranges.
 */

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = async (hostname) =>
  (await dns.lookup(hostname, { all: true, verbatim: true })).map((a) => ({
    address: a.address,
    family: a.family === 6 ? 6 : 4,
  }));

/** Special-purpose ranges (IANA registries) no webhook may reach unless allowed. */
const FORBIDDEN_RANGES: ReadonlyArray<readonly [string, string]> = [
  ['0.0.0.0/8', 'unspecified'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'cgnat'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'], // 169.254.169.254: the cloud metadata service
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'special'], // IETF protocol assignments (192.0.0.192: Oracle Cloud metadata)
  ['192.0.2.0/24', 'documentation'],
  ['192.88.99.0/24', 'special'],
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'special'],
  ['198.51.100.0/24', 'documentation'],
  ['203.0.113.0/24', 'documentation'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved'], // and 255.255.255.255
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['100::/64', 'special'],
  ['2001:db8::/32', 'documentation'],
  ['fc00::/7', 'private'], // fd00:ec2::254: the AWS metadata service over IPv6
  ['fe80::/10', 'link-local'],
  ['fec0::/10', 'private'],
  ['ff00::/8', 'multicast'],
];

const RANGES = FORBIDDEN_RANGES.map(([cidr, label]) => {
  const [addr, prefix] = cidr.split('/') as [string, string];
  const type = net.isIPv6(addr) ? 'ipv6' : 'ipv4';
  const list = new net.BlockList();
  list.addSubnet(addr, Number(prefix), type);
  return { list, type, label } as const;
});

/** The 16 bytes of an IPv6 address (dotted IPv4 tail allowed), or null. */
function ipv6Bytes(address: string): number[] | null {
  if (!net.isIPv6(address)) return null;
  let s = address.replace(/%.*$/, '');
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4) {
    const p = (v4[1] as string).split('.').map(Number);
    s = `${s.slice(0, -(v4[1] as string).length)}${((p[0]! << 8) | p[1]!).toString(16)}:${((p[2]! << 8) | p[3]!).toString(16)}`;
  }
  const [head, tail] = s.includes('::') ? (s.split('::') as [string, string]) : [s, null];
  const h = head ? head.split(':') : [];
  const t = tail === null ? [] : tail ? tail.split(':') : [];
  const groups = tail === null ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  if (groups.length !== 8) return null;
  return groups.flatMap((g) => {
    const n = parseInt(g, 16);
    return [n >> 8, n & 0xff];
  });
}

/** The IPv4 address an IPv6 one carries (mapped, compatible, NAT64, 6to4), if any. */
function embeddedIpv4(address: string): string | null {
  const b = ipv6Bytes(address);
  if (!b) return null;
  const v4 = (o: number) => b.slice(o, o + 4).join('.');
  const zero = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  if (zero(0, 10) && b[10] === 0xff && b[11] === 0xff) return v4(12); // ::ffff:a.b.c.d
  if (zero(0, 12) && !zero(12, 16) && !(zero(12, 15) && b[15] === 1)) return v4(12); // ::a.b.c.d
  if (b[0] === 0 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zero(4, 12)) return v4(12); // 64:ff9b::/96
  if (b[0] === 0x20 && b[1] === 0x02) return v4(2); // 2002::/16 (6to4)
  return null;
}

/** Why an address may not be a webhook target (`loopback`, `private` …), or null for a public one. */
export function forbiddenRange(address: string): string | null {
  const plain = address.replace(/^\[(.*)\]$/, '$1');
  const family = net.isIP(plain);
  if (family === 0) return 'invalid';
  const type = family === 6 ? 'ipv6' : 'ipv4';
  for (const r of RANGES) if (r.type === type && r.list.check(plain, type)) return r.label;
  const inner = family === 6 ? embeddedIpv4(plain) : null;
  return inner ? forbiddenRange(inner) : null;
}

function inAllowedRange(address: string, allowed: readonly string[]): boolean {
  const family = net.isIP(address);
  const candidates = [address, ...(family === 6 ? [embeddedIpv4(address)] : [])].filter(
    (a): a is string => a !== null,
  );
  return allowed.some((entry) => {
    const [addr, prefix] = entry.split('/') as [string, string | undefined];
    const f = net.isIP(addr);
    if (f === 0) return false;
    const type = f === 6 ? 'ipv6' : 'ipv4';
    const list = new net.BlockList();
    if (prefix === undefined) list.addAddress(addr, type);
    else list.addSubnet(addr, Number(prefix), type);
    return candidates.some((c) => net.isIP(c) === f && list.check(c, type));
  });
}

/** A URL's host without IPv6 brackets or a trailing dot, lower case. */
export function urlHost(url: URL): string {
  return url.hostname
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '')
    .toLowerCase();
}

export type TargetCheck =
  | { ok: true; host: string; addresses: ResolvedAddress[] }
  | { ok: false; reason: 'unresolvable' | 'forbidden'; host: string; address?: string; range?: string };

/**
 * Resolves the URL's host (an address literal is its own answer) and checks every address it
 * resolves to. `addresses` are the checked ones: connect to one of those, never resolve again.
 */
export async function checkWebhookTarget(
  url: URL,
  config: WebhookTargetConfig,
  resolve: Resolver = systemResolver,
): Promise<TargetCheck> {
  const host = urlHost(url);
  const literal = net.isIP(host);
  let addresses: ResolvedAddress[];
  if (literal !== 0) {
    addresses = [{ address: host, family: literal === 6 ? 6 : 4 }];
  } else {
    try {
      addresses = await resolve(host);
    } catch {
      addresses = [];
    }
    if (addresses.length === 0) return { ok: false, reason: 'unresolvable', host };
  }
  if (config.allowPrivate || config.allowedHosts.includes(host)) return { ok: true, host, addresses };
  for (const a of addresses) {
    const range = forbiddenRange(a.address);
    if (range && !inAllowedRange(a.address, config.allowedHosts)) {
      return { ok: false, reason: 'forbidden', host, address: a.address, range };
    }
  }
  return { ok: true, host, addresses };
}

/** At registration: 400 WEBHOOK_URL_FORBIDDEN unless the target is allowed. */
export async function requireAllowedWebhookTarget(
  url: string,
  config: WebhookTargetConfig,
  resolve: Resolver = systemResolver,
): Promise<void> {
  const check = await checkWebhookTarget(new URL(url), config, resolve);
  if (check.ok) return;
  if (check.reason === 'unresolvable') {
    throw new AppError('WEBHOOK_URL_FORBIDDEN', {
      message: {
        ja: `Webhook の URL のホスト名（${check.host}）を解決できません。`,
        en: `The webhook URL's host name (${check.host}) does not resolve.`,
      },
      extras: { errors: [{ path: 'url' }] },
    });
  }
  throw new AppError('WEBHOOK_URL_FORBIDDEN', {
    detail: `${check.host} → ${check.address ?? ''} (${check.range ?? ''})`,
    extras: { errors: [{ path: 'url' }] },
  });
}

/** The URL with any user name and password embedded in it masked (never shown back). */
export function maskUrlCredentials(url: string): string {
  try {
    const u = new URL(url);
    if (!u.username && !u.password) return url;
    if (u.username) u.username = '***';
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/\/\/[^/@]*@/, '//***@');
  }
}
