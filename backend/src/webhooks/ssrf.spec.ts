import { checkWebhookUrl, refusedAddressReason, RefusedTargetError, resolveWebhookTarget } from './ssrf.js';

describe('refusedAddressReason', () => {
  it.each([
    ['127.0.0.1', 'a loopback address'],
    ['127.255.0.9', 'a loopback address'],
    ['10.0.0.1', 'a private address'],
    ['172.20.1.1', 'a private address'],
    ['192.168.1.10', 'a private address'],
    ['169.254.169.254', 'a cloud metadata address'],
    ['169.254.1.1', 'a link-local address'],
    ['100.100.100.200', 'a cloud metadata address'],
    ['100.64.0.1', 'a shared (carrier-grade NAT) address'],
    ['0.0.0.0', 'a reserved address'],
    ['224.0.0.1', 'a multicast address'],
    ['255.255.255.255', 'a reserved address'],
    ['::1', 'a loopback address'],
    ['::', 'a reserved address'],
    ['fd00:ec2::254', 'a cloud metadata address'],
    ['fc00::1', 'a private address'],
    ['fe80::1', 'a link-local address'],
    ['::ffff:127.0.0.1', 'a loopback address'],
    ['::ffff:7f00:1', 'a loopback address'],
    ['::ffff:a9fe:a9fe', 'a cloud metadata address'],
    ['64:ff9b::10.0.0.1', 'a private address'],
    ['2002:0a00:0001::', 'a private address'],
  ])('refuses %s as %s', (address, reason) => {
    expect(refusedAddressReason(address)).toBe(reason);
  });

  it.each(['93.184.215.14', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '172.32.0.1', '192.169.0.1'])('accepts the public address %s', (address) => {
    expect(refusedAddressReason(address)).toBeUndefined();
  });
});

describe('checkWebhookUrl', () => {
  const strict = { allowHttp: false, allowPrivate: false };
  it('accepts https URLs', () => {
    expect(checkWebhookUrl('https://hooks.example.com/in?x=1', strict).hostname).toBe('hooks.example.com');
  });
  it.each([
    ['http://hooks.example.com/', 'url must start with https://'],
    ['ftp://hooks.example.com/', 'url must start with https://'],
    ['https://user:pw@hooks.example.com/', 'url must not contain a user name or password'],
    ['https://hooks.example.com/#frag', 'url must not contain a fragment (#…)'],
    ['/relative', 'url must be an absolute URL'],
  ])('refuses %s', (url, message) => {
    expect(() => checkWebhookUrl(url, strict)).toThrow(new RefusedTargetError(message));
  });
  it('accepts http only when allowed', () => {
    expect(checkWebhookUrl('http://hooks.example.com/', { allowHttp: true, allowPrivate: false }).protocol).toBe('http:');
  });
});

describe('resolveWebhookTarget', () => {
  const strict = { allowHttp: true, allowPrivate: false };
  it.each([
    ['http://127.0.0.1:9/', '127.0.0.1 is a loopback address: refused'],
    ['http://10.0.0.1/', '10.0.0.1 is a private address: refused'],
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254 is a cloud metadata address: refused'],
    ['http://[::1]:8080/', '::1 is a loopback address: refused'],
  ])('refuses %s without connecting', async (url, message) => {
    await expect(resolveWebhookTarget(new URL(url), strict)).rejects.toThrow(message);
  });
  it('refuses a name that resolves to loopback (localhost)', async () => {
    await expect(resolveWebhookTarget(new URL('http://localhost:8080/'), strict)).rejects.toThrow(
      /^localhost resolves to (127\.0\.0\.1|::1), a loopback address: refused$/,
    );
  });
  it('allows private addresses when told to (tests, self-hosting)', async () => {
    await expect(resolveWebhookTarget(new URL('http://127.0.0.1:9/'), { allowHttp: true, allowPrivate: true })).resolves.toEqual({
      address: '127.0.0.1',
      family: 4,
    });
  });
});
