import type { AddressInfo } from 'node:net';
import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { afterEach, describe, expect, it } from 'vitest';
import { AdminServer, loadAdminConfig } from './admin.server.js';
import { HealthModule } from './health.module.js';
import { Readiness } from './readiness.js';

let app: INestApplication | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function start(admin: { ADMIN_PORT?: number; ADMIN_HOST: string }) {
  @Module({ imports: [HealthModule.forService('admin-test', admin)] })
  class TestModule {}
  app = await NestFactory.create(TestModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  const main = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  const port = app.get(AdminServer).port();
  return { main, admin: port === undefined ? undefined : `http://127.0.0.1:${port}` };
}

describe('ADMIN_PORT', () => {
  it('unset: /health/* and /metrics stay on the app port, no other port opens', async () => {
    const { main, admin } = await start({ ADMIN_HOST: '127.0.0.1' });
    expect(admin).toBeUndefined();
    expect((await fetch(`${main}/health/live`)).status).toBe(200);
    expect(await (await fetch(`${main}/metrics`)).text()).toContain('process_cpu_user_seconds_total');
  });

  it('set: they move to the admin port, and the app port no longer serves them', async () => {
    const { main, admin } = await start({ ADMIN_PORT: 0, ADMIN_HOST: '127.0.0.1' });
    expect(admin).toBeDefined();
    expect((await fetch(`${admin}/health/live`)).status).toBe(200);
    expect(await (await fetch(`${admin}/metrics`)).text()).toContain('process_cpu_user_seconds_total');
    for (const path of ['/health/live', '/health/ready', '/metrics']) expect((await fetch(`${main}${path}`)).status, path).toBe(404);
  });

  it('readiness on the admin port follows the registered checks', async () => {
    const { admin } = await start({ ADMIN_PORT: 0, ADMIN_HOST: '127.0.0.1' });
    let ready = false;
    app?.get(Readiness).register('nats', () => ready);
    const first = await fetch(`${admin}/health/ready`);
    expect([first.status, await first.json()]).toEqual([503, { status: 'not-ready', checks: { nats: false } }]);
    ready = true;
    expect((await fetch(`${admin}/health/ready`)).status).toBe(200);
  });

  it('is validated: a port out of range stops the boot, naming the variable', () => {
    expect(() => loadAdminConfig('svc', { ADMIN_PORT: '70000' })).toThrow(/svc: invalid configuration\n {2}ADMIN_PORT/);
    expect(loadAdminConfig('svc', {})).toEqual({ ADMIN_HOST: '0.0.0.0' });
    expect(loadAdminConfig('svc', { ADMIN_PORT: '9464' }).ADMIN_PORT).toBe(9464);
  });
});
