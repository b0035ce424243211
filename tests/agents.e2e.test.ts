import { connect, type NatsConnection } from '@nats-io/transport-node';
import { ErrorCode, Header, subjects } from '@spine/contracts';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { counter, Mesh, type AgentProcess } from './support/mesh.js';
import { intakeOutputOf, invokeIntake } from './support/wire.js';

const ok = { agent: 'intake', outcome: 'ok' };
const total = async (agents: AgentProcess[], labels = ok) => (await Promise.all(agents.map((a) => counter(a.httpUrl, 'spine_agent_requests_total', labels)))).reduce((x, y) => x + y, 0);

describe('built-in agents as processes: registry, replicas, deadlines, bad bytes', () => {
  let mesh: Mesh;
  let nc: NatsConnection;
  let replicas: AgentProcess[];

  beforeAll(async () => {
    mesh = await Mesh.start(inject('natsUrl'), inject('postgresAdminUrl'));
    replicas = await Promise.all([mesh.startAgent('intake'), mesh.startAgent('intake')]);
    // Each replica registered (the registry published it healthy) before any test uses it.
    await Promise.all(replicas.map((r) => mesh.states.until({ instanceId: r.instanceId }, 'healthy')));
    nc = await connect({ servers: inject('natsUrl') });
  });

  afterAll(async () => {
    await nc?.close();
    await mesh?.stop();
  });

  it('lists both instances of intake as healthy', async () => {
    const instances = (await mesh.instances('intake')).filter((i) => i.state === 'healthy');
    expect(instances.map((i) => i.instanceId).sort()).toEqual(replicas.map((r) => r.instanceId).sort());
  });

  it('answers an invoke with the typed output', async () => {
    const { output, error } = intakeOutputOf(await invokeIntake(nc, { text: '  crea una   tarea para mañana ', userId: 'u1', roles: ['client'] }));
    expect(error).toBeUndefined();
    expect(output).toMatchObject({ text: 'crea una tarea para mañana', language: 'es', tenantId: 'acme', userId: 'u1', roles: ['client'] });
  });

  it('spreads 1,000 requests across both replicas', async () => {
    const before = await Promise.all(replicas.map((r) => counter(r.httpUrl, 'spine_agent_requests_total', ok)));
    for (let batch = 0; batch < 20; batch++) {
      const replies = await Promise.all(Array.from({ length: 50 }, (_, i) => invokeIntake(nc, { text: `hello number ${batch * 50 + i}` })));
      for (const reply of replies) expect(intakeOutputOf(reply).error).toBeUndefined();
    }
    const after = await Promise.all(replicas.map((r) => counter(r.httpUrl, 'spine_agent_requests_total', ok)));
    const handled = after.map((n, i) => n - before[i]!);
    expect(handled[0]! + handled[1]!).toBe(1_000);
    // A fair split is ~500 each; 200 is far outside random variation.
    expect(Math.min(...handled)).toBeGreaterThan(200);
  });

  it('does not execute a request whose deadline has passed', async () => {
    const failed = { agent: 'intake', outcome: 'error' };
    const [okBefore, failedBefore] = [await total(replicas), await total(replicas, failed)];
    const reply = await invokeIntake(nc, { text: 'too late' }, { deadline: Date.now() - 1 });
    expect(reply.headers?.get(Header.ErrorCode)).toBe('DEADLINE_EXCEEDED');
    // The handler never ran: neither replica counted the request.
    expect([await total(replicas), await total(replicas, failed)]).toEqual([okBefore, failedBefore]);
  });

  it('answers random bytes on its subject with an error and keeps answering', async () => {
    const random = Uint8Array.from({ length: 512 }, (_, i) => (i * 151 + 7) % 256);
    const reply = await nc.request(subjects.agentInvoke('intake'), random, { timeout: 2_000 });
    expect(reply.headers?.get(Header.ErrorCode)).toBe('INVALID_ARGUMENT');
    const wrongInput = intakeOutputOf(await invokeIntake(nc, { text: '' }));
    expect(wrongInput.error).toMatchObject({ code: ErrorCode.INVALID_ARGUMENT });
    expect(intakeOutputOf(await invokeIntake(nc, { text: 'still here?' })).output?.text).toBe('still here?');
  });

  it('marks a kill -9ed agent unhealthy, then gone; a restart makes it healthy again', async () => {
    const started = mesh.states.mark();
    const victim = await mesh.startAgent('intake');
    await mesh.states.until({ instanceId: victim.instanceId }, 'healthy', started);
    const killed = mesh.states.mark();
    victim.service.kill('SIGKILL');
    // Events, not polls: the unhealthy window is short and a slow poll could step over it.
    await mesh.states.until({ instanceId: victim.instanceId }, 'unhealthy', killed);
    await mesh.states.until({ instanceId: victim.instanceId }, 'gone', killed);
    expect(await mesh.stateOf('intake', victim.instanceId)).toBe('gone');
    const restarted = mesh.states.mark();
    const again = await mesh.startAgent('intake', victim.instanceId);
    await mesh.states.until({ instanceId: again.instanceId }, 'healthy', restarted);
    expect(await mesh.stateOf('intake', again.instanceId)).toBe('healthy');
    // Leave only the suite's two replicas healthy (tests run in any order; one counts them).
    again.service.kill('SIGTERM');
    expect(await again.service.exited).toBe(0);
  });

  it('deregisters on SIGTERM and exits 0', async () => {
    const started = mesh.states.mark();
    const leaving = await mesh.startAgent('intake');
    await mesh.states.until({ instanceId: leaving.instanceId }, 'healthy', started);
    leaving.service.kill('SIGTERM');
    expect(await leaving.service.exited).toBe(0);
    expect(await mesh.stateOf('intake', leaving.instanceId)).toBe('gone');
  });
});
