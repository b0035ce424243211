import { describe, expect, it } from 'vitest';
import { loadMessagingConfig, natsTlsOptions } from './messaging.config.js';

describe('loadMessagingConfig', () => {
  it('defaults to one replica and no size cap (a local single server)', () => {
    expect(loadMessagingConfig({})).toEqual({ NATS_STREAM_REPLICAS: 1, NATS_STREAM_MAX_BYTES: -1 });
  });

  it('reads replicas and the cap', () => {
    const config = loadMessagingConfig({ NATS_STREAM_REPLICAS: '3', NATS_STREAM_MAX_BYTES: '2147483648' });
    expect([config.NATS_STREAM_REPLICAS, config.NATS_STREAM_MAX_BYTES]).toEqual([3, 2147483648]);
  });

  it.each([
    [{ NATS_STREAM_REPLICAS: '0' }, /NATS_STREAM_REPLICAS/],
    [{ NATS_STREAM_REPLICAS: 'three' }, /NATS_STREAM_REPLICAS/],
    [{ NATS_STREAM_MAX_BYTES: '2Gi' }, /NATS_STREAM_MAX_BYTES/],
    [{ NATS_TLS_CERT: '/tls/tls.crt' }, /NATS_TLS_KEY: NATS_TLS_CERT and NATS_TLS_KEY go together/],
  ])('refuses %j, naming the variable', (env, message) => {
    expect(() => loadMessagingConfig(env)).toThrow(message);
  });

  it('turns the TLS files into nats.js options', () => {
    expect(natsTlsOptions(loadMessagingConfig({}))).toBeUndefined();
    expect(natsTlsOptions(loadMessagingConfig({ NATS_TLS_CA: '/tls/ca.crt' }))).toEqual({ caFile: '/tls/ca.crt' });
    expect(natsTlsOptions(loadMessagingConfig({ NATS_TLS_CA: '/tls/ca.crt', NATS_TLS_CERT: '/tls/tls.crt', NATS_TLS_KEY: '/tls/tls.key' }))).toEqual({
      caFile: '/tls/ca.crt',
      certFile: '/tls/tls.crt',
      keyFile: '/tls/tls.key',
    });
  });
});
