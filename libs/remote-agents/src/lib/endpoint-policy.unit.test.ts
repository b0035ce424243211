import { ErrorCode, SpineError } from '@spine/contracts';
import { describe, expect, it } from 'vitest';
import { EndpointPolicy, type EndpointPolicyOptions } from './endpoint-policy.js';

const dns: Record<string, string[]> = {
  'agent.example.com': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
  'rebind.example.com': ['93.184.215.14', '10.0.0.7'],
  'metadata.example.com': ['169.254.169.254'],
  localhost: ['127.0.0.1', '::1'],
  'registry.spine.svc': ['10.96.0.12'],
};
const fakeResolve = async (host: string): Promise<string[]> => {
  const found = dns[host];
  if (!found) throw new Error(`ENOTFOUND ${host}`);
  return found;
};

function policy(options: EndpointPolicyOptions = {}): EndpointPolicy {
  return new EndpointPolicy({ resolve: fakeResolve, ...options });
}

async function refusal(p: EndpointPolicy, endpoint: string, transport: 'http' | 'grpc' = 'http'): Promise<SpineError> {
  const err = await p.check(endpoint, transport).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SpineError);
  const spine = err as SpineError;
  expect(spine.code).toBe(ErrorCode.INVALID_ARGUMENT);
  expect(spine.details['field']).toBe('endpoint');
  return spine;
}

describe('EndpointPolicy', () => {
  it.each([
    ['http://169.254.169.254/latest/meta-data/', 'link-local'],
    ['http://metadata.example.com/', 'link-local'],
    ['http://localhost:4000', 'loopback'],
    ['http://127.0.0.1:8080/', 'loopback'],
    ['http://10.1.2.3/agent', 'private'],
    ['https://172.20.0.5', 'private'],
    ['http://192.168.1.10:3000', 'private'],
    ['http://0.0.0.0:80', 'unspecified'],
    ['http://[::1]:8080/', 'loopback'],
    ['http://[fe80::1]/', 'link-local'],
    ['http://[fd12:3456::1]/', 'private'],
    ['http://[::ffff:127.0.0.1]/', 'loopback'],
    ['http://[::ffff:a9fe:a9fe]/', 'link-local'],
    ['http://[::]/', 'unspecified'],
    ['http://2130706433/', 'loopback'],
    ['http://0x7f000001/', 'loopback'],
    ['http://0x7f.1/', 'loopback'],
    ['http://017700000001/', 'loopback'],
    ['http://0251.0376.0251.0376/', 'link-local'],
    ['http://rebind.example.com/', 'private'],
  ])('refuses %s (%s)', async (endpoint, reason) => {
    const err = await refusal(policy(), endpoint);
    expect(err.details['reason']).toBe(reason);
    expect(err.retryable).toBe(false);
  });

  it.each([
    ['file:///etc/passwd', 'scheme'],
    ['gopher://agent.example.com/', 'scheme'],
    ['ftp://agent.example.com/', 'scheme'],
    ['javascript:alert(1)', 'scheme'],
    ['not a url', 'malformed'],
    ['http://user:pw@agent.example.com/', 'credentials'],
    ['http://agent.example.com/?x=1', 'malformed'],
    ['http://nowhere.invalid/', 'unresolvable'],
  ])('refuses %s (%s)', async (endpoint, reason) => {
    expect((await refusal(policy(), endpoint)).details['reason']).toBe(reason);
  });

  it('accepts a public endpoint and reports every resolved address', async () => {
    const checked = await policy().check('https://Agent.Example.com/v1/', 'http');
    expect(checked).toMatchObject({ tls: true, host: 'agent.example.com', port: 443, target: 'https://agent.example.com/v1' });
    expect(checked.addresses).toEqual(dns['agent.example.com']);
  });

  it('accepts loopback and private addresses that are allow-listed, by IP, CIDR or hostname', async () => {
    await expect(policy({ allow: ['127.0.0.1'] }).check('http://127.0.0.1:9000', 'http')).resolves.toMatchObject({ port: 9000 });
    await expect(policy({ allow: ['10.0.0.0/8'] }).check('http://10.1.2.3/', 'http')).resolves.toMatchObject({ host: '10.1.2.3' });
    await expect(policy({ allow: ['::1/128'] }).check('http://[::1]:9000', 'http')).resolves.toMatchObject({ host: '::1' });
    await expect(policy({ allow: ['localhost'] }).check('http://localhost:9000', 'http')).resolves.toMatchObject({ addresses: ['127.0.0.1', '::1'] });
    // Allowing 127.0.0.1 does not allow the rest of loopback nor link-local.
    expect((await refusal(policy({ allow: ['127.0.0.1'] }), 'http://127.0.0.2/')).details['reason']).toBe('loopback');
    expect((await refusal(policy({ allow: ['127.0.0.1'] }), 'http://[::1]/')).details['reason']).toBe('loopback');
  });

  it("refuses the cluster's own services even when their addresses are allow-listed", async () => {
    const p = policy({ allow: ['127.0.0.0/8', 'localhost', '10.0.0.0/8'], denyServices: ['localhost:4000', 'registry.spine.svc'] });
    for (const endpoint of ['http://localhost:4000', 'http://127.0.0.1:4000/', 'http://[::1]:4000', 'http://10.96.0.12:8080', 'http://registry.spine.svc/']) {
      expect((await refusal(p, endpoint)).details['reason']).toBe('cluster-service');
    }
    await expect(p.check('http://127.0.0.1:4001', 'http')).resolves.toMatchObject({ port: 4001 });
  });

  describe('gRPC endpoints', () => {
    it('accepts grpc://host:port, grpcs://host and bare host:port', async () => {
      const p = policy();
      await expect(p.check('grpc://agent.example.com:50051', 'grpc')).resolves.toMatchObject({ tls: false, port: 50051, target: 'agent.example.com:50051' });
      await expect(p.check('grpcs://agent.example.com', 'grpc')).resolves.toMatchObject({ tls: true, port: 443 });
      await expect(p.check('agent.example.com:50051', 'grpc')).resolves.toMatchObject({ tls: false, target: 'agent.example.com:50051' });
    });

    it.each([
      ['http://agent.example.com:50051', 'scheme'],
      ['grpc://agent.example.com', 'port'],
      ['grpc://agent.example.com:50051/path', 'malformed'],
      ['grpc://2130706433:50051', 'loopback'],
      ['169.254.169.254:80', 'link-local'],
      ['[::1]:50051', 'loopback'],
      ['grpc://localhost:50051', 'loopback'],
    ])('refuses %s (%s)', async (endpoint, reason) => {
      expect((await refusal(policy(), endpoint, 'grpc')).details['reason']).toBe(reason);
    });

    it('brackets an allowed IPv6 target', async () => {
      await expect(policy({ allow: ['::1'] }).check('[::1]:50051', 'grpc')).resolves.toMatchObject({ target: '[::1]:50051' });
    });
  });

  describe('connect-time lookup', () => {
    function lookup(p: EndpointPolicy, host: string, port: number, all: boolean): Promise<unknown> {
      return new Promise((resolve, reject) =>
        p.lookupFor(port)(host, { all }, (err, address) => (err ? reject(err) : resolve(address))),
      );
    }

    it('answers with the checked addresses', async () => {
      await expect(lookup(policy(), 'agent.example.com', 443, true)).resolves.toEqual([
        { address: '93.184.215.14', family: 4 },
        { address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', family: 6 },
      ]);
      await expect(lookup(policy(), 'agent.example.com', 443, false)).resolves.toBe('93.184.215.14');
    });

    it('refuses a name that now resolves into the cluster', async () => {
      await expect(lookup(policy(), 'rebind.example.com', 443, true)).rejects.toMatchObject({ details: { reason: 'private' } });
    });
  });
});
