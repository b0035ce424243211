import { waitFor } from '@spine/testing';
import { randomBytes } from 'node:crypto';
import { AssistantClient, type Turn } from './assistant-client.js';
import { AssistantMesh } from './assistant.js';

export const MADRID = 'Europe/Madrid';
export const NEW_YORK = 'America/New_York';

export const tag = (): string => randomBytes(3).toString('hex');
/** A project name of this run: capitalised, so the extractor reads it as a name ("Atlas4f2a1c"). */
export const projectName = (base = 'Atlas'): string => `${base}${tag()}`;

export interface Conversation {
  id: string;
  userId: string;
  say(text: string, opts?: { timezone?: string; locale?: 'es' | 'en' }): Promise<Turn>;
}

interface TaskRow {
  id: string;
  project_id: string;
  due_at: Date;
  assignee_id: string | null;
}

interface EventRow {
  id: string;
  title: string;
  starts_at: Date;
  ends_at: Date;
}

/** One mesh for a suite of conversation cases: keys for an admin and a client, the ERP rows, every turn kept. */
export class AssistantSuite {
  mesh!: AssistantMesh;
  admin!: AssistantClient;
  client!: AssistantClient;
  /** Every turn of the suite, for checks across all of them. */
  readonly turns: { text: string; turn: Turn; as: AssistantClient; locale?: 'es' | 'en' }[] = [];

  async start(natsUrl: string, postgresAdminUrl: string, orchestratorEnv: Record<string, string> = {}): Promise<void> {
    this.mesh = await AssistantMesh.start(natsUrl, postgresAdminUrl, { orchestratorEnv });
    // The people the suites meet with are users of the tenant (attendees are checked against them), and the
    // calendar takes any day and hour, so "mañana a las 16" books whatever weekday the suite runs on.
    // Working hours have a suite of their own (calendar.e2e.test.ts).
    await this.mesh.sql(`INSERT INTO erp.users (tenant_id, name, email) VALUES ('default', 'Daniela Ríos', 'daniela@acme.test'), ('default', 'Bob Stone', 'bob@acme.test')`);
    await this.setWorkingHours({ startMinute: 0, endMinute: 1440, days: [1, 2, 3, 4, 5, 6, 7] });
    this.admin = new AssistantClient(this.mesh.url, await this.mesh.createKey('admin'));
    this.client = new AssistantClient(this.mesh.url, await this.mesh.createKey('client'));
    // The router loads its embedding model in the background: the first message waits for it.
    await waitFor(async () => (await (await this.talk(this.admin)).say('hola')).state === 'DONE', { intervalMs: 500, what: 'a first reply' });
  }

  /** The default tenant's working hours (minutes after local midnight), days (1 Monday … 7 Sunday) and buffer. */
  async setWorkingHours(r: { startMinute: number; endMinute: number; days: number[]; bufferMinutes?: number }): Promise<void> {
    await this.mesh.sql(
      `INSERT INTO erp.calendar_rules (tenant_id, work_start_minute, work_end_minute, work_days, buffer_minutes) VALUES ('default', $1, $2, $3, $4)
       ON CONFLICT (tenant_id) DO UPDATE SET work_start_minute = $1, work_end_minute = $2, work_days = $3, buffer_minutes = $4`,
      [r.startMinute, r.endMinute, r.days, r.bufferMinutes ?? 0],
    );
  }

  async stop(): Promise<void> {
    await this.mesh?.stop();
  }

  async talk(as: AssistantClient, userId = `u-${tag()}`): Promise<Conversation> {
    const id = await as.conversation(userId);
    return {
      id,
      userId,
      say: async (text, opts = {}) => {
        const turn = await as.say(id, text, { timezone: opts.timezone ?? MADRID, ...(opts.locale ? { locale: opts.locale } : {}) });
        this.turns.push({ text, turn, as, ...(opts.locale ? { locale: opts.locale } : {}) });
        return turn;
      },
    };
  }

  /**
   * A few ordinary turns of every kind (a tool that writes, one that reads, a question, small talk), so a check over
   * `turns` has something to look at whatever order the tests ran in (the suites are shuffled).
   */
  async sampleTurns(): Promise<void> {
    const es = await this.talk(this.client);
    const project = projectName('Vega');
    await es.say(`crea el proyecto ${project}`);
    await es.say(`crea una tarea revisar el contrato ${tag()} para mañana a las 10 en el proyecto ${project}`);
    await es.say('¿qué tareas tengo?');
    await es.say('crea una tarea');
    await es.say('hola, ¿qué tal?');
    const en = await this.talk(this.client);
    await en.say(`create a project called ${projectName('Lyra')}`, { locale: 'en' });
    await en.say('what tasks do I have?', { locale: 'en' });
  }

  rows<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.mesh.sql<T>(sql, params);
  }

  async projectRow(name: string): Promise<{ id: string } | undefined> {
    return (await this.rows<{ id: string }>(`SELECT id FROM erp.projects WHERE tenant_id = 'default' AND name = $1`, [name]))[0];
  }

  taskRows(title: string): Promise<TaskRow[]> {
    return this.rows<TaskRow>(`SELECT id, project_id, due_at, assignee_id FROM erp.tasks WHERE tenant_id = 'default' AND title = $1`, [title]);
  }

  eventRows(owner: string): Promise<EventRow[]> {
    return this.rows<EventRow>(`SELECT id, title, starts_at, ends_at FROM erp.calendar_events WHERE tenant_id = 'default' AND owner_id = $1 ORDER BY starts_at`, [owner]);
  }

  /** A project created through the assistant, and its row. */
  async newProject(): Promise<{ name: string; id: string }> {
    const name = projectName();
    const t = await (await this.talk(this.admin)).say(`crea el proyecto ${name}`);
    const row = await this.projectRow(name);
    if (t.state !== 'DONE' || !row) throw new Error(`could not create project ${name}: ${t.state} ${t.reply}`);
    return { name, id: row.id };
  }

  /** Holds erp.tasks so the next createTask blocks inside its transaction, mid-call, until release(). */
  async blockTasks(): Promise<{ waiting(n: number): Promise<void>; release(): Promise<void> }> {
    const lock = await this.mesh.connect();
    await lock.query('BEGIN');
    // SHARE mode: writes wait, reads go on (the flow's lookupNames reads erp.tasks before any createTask runs).
    await lock.query('LOCK TABLE erp.tasks IN SHARE MODE');
    const waiting = async (n: number): Promise<void> => {
      await waitFor(async () => (await this.rows<{ n: string }>(`SELECT count(*)::text AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query ILIKE '%INSERT INTO erp.tasks%'`))[0]?.n === String(n), {
        intervalMs: 50,
        what: `${n} createTask call(s) waiting on the lock`,
      });
    };
    const release = async () => {
      await lock.query('ROLLBACK');
      await lock.end();
    };
    return { waiting, release };
  }
}
