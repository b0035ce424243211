// SQL statements the orchestrator ran, from pg_stat_statements, named after the repository method that issues them.
import type { FlowMesh } from './flow-mesh.js';

export interface StatementStat {
  label: string;
  calls: number;
  /** Mean server-side execution time, ms. */
  meanMs: number;
  totalMs: number;
}

export interface SqlSnapshot {
  statements: StatementStat[];
  commits: number;
  /** Transactions Postgres aborted to break a deadlock (each after deadlock_timeout, 1 s). */
  deadlocks: number;
  /** Checkpoints started (timed or requested); during a phase, each flushes dirty pages and can slow commits. */
  checkpoints: number;
}

const LABELS: [RegExp, string][] = [
  [/^(START TRANSACTION|BEGIN)/i, 'BEGIN'],
  [/^COMMIT/i, 'COMMIT'],
  [/^ROLLBACK/i, 'ROLLBACK'],
  [/WITH appended AS \(/is, 'appendEvent (INSERT event + UPDATE last_seq)'],
  [/SELECT orchestrator\.commit_steps/is, 'commit_steps (one batch of steps, one transaction)'],
  [/WITH s AS MATERIALIZED/is, 'commit_steps: lock the executions, check leases'],
  [/SELECT jsonb_agg\(a \|\| CASE WHEN/is, "commit_steps: each step's last seq (index probes)"],
  [/FROM jsonb_to_recordset\(p->'events'\)/is, 'commit_steps: events (one INSERT per batch)'],
  [/FROM jsonb_to_recordset\(p->'starts'\)/is, 'commit_steps: node starts (one INSERT … ON CONFLICT per batch)'],
  [/FROM jsonb_to_recordset\(p->'finishes'\)/is, 'commit_steps: node finishes (one UPDATE + INSERT per batch)'],
  [/UPDATE orchestrator\.executions e SET state = x\.state/is, 'commit_steps: state changes (one UPDATE per batch)'],
  [/FROM jsonb_to_recordset\(p->'replies'\)/is, 'commit_steps: replies'],
  [/UPDATE orchestrator\.executions SET state =/is, 'setState (UPDATE executions)'],
  [/INSERT INTO orchestrator\.executions/is, 'create (INSERT executions)'],
  [/SET events_published = greatest/is, 'markPublished (UPDATE executions)'],
  [/FROM orchestrator\.api_keys WHERE id =/is, 'auth: api key by id'],
  [/UPDATE orchestrator\.api_keys SET last_used_at/is, 'auth: touch api key'],
  [/FROM orchestrator\.flows WHERE tenant_id = \$1 AND id = \$2 ORDER BY version DESC/is, 'flows.get (latest version)'],
  [/FROM orchestrator\.flows WHERE tenant_id = \$1 AND id = \$2 AND version/is, 'flows.get (pinned version)'],
  [/SELECT orchestrator\.execution_view\(id\) AS v/is, 'executions.get (execution_view)'],
  [/SELECT jsonb_build_object\( 'id', e\.id/is, 'execution_view (GET, and the commit that settles an execution)'],
  [/jsonb_build_object\('view', orchestrator\.execution_view/is, 'commit_steps: views of the executions it settled'],
  [/SET lease_owner = \$1, lease_expires_at/is, 'leases.claim'],
  // Foreign-key checks Postgres runs itself (RI triggers), visible with pg_stat_statements.track = all.
  [/SELECT \S+ FROM ONLY "orchestrator"\."executions" x .*FOR KEY SHARE/is, 'FK check → executions (SELECT … FOR KEY SHARE, by Postgres)'],
  [/SELECT \S+ FROM ONLY "orchestrator"\."flows" x .*FOR KEY SHARE/is, 'FK check → flows (SELECT … FOR KEY SHARE, by Postgres)'],
  [/SET lease_expires_at = now\(\) \+ make_interval\(secs => \$3/is, 'leases.renew'],
  [/WHERE events_published < last_seq/is, 'events sweep'],
];

export function labelOf(query: string): string {
  const q = query.replace(/\s+/g, ' ').trim();
  return LABELS.find(([re]) => re.test(q))?.[1] ?? q.slice(0, 70);
}

export async function resetSql(mesh: FlowMesh): Promise<void> {
  await mesh.sql('SELECT pg_stat_statements_reset()');
}

/** Statements on the orchestrator's database since the last reset, grouped by label, busiest first. */
export async function readSql(mesh: FlowMesh): Promise<SqlSnapshot> {
  const rows = await mesh.sql<{ query: string; calls: string; total: number }>(
    `SELECT s.query, s.calls::text AS calls, s.total_exec_time AS total
     FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
     WHERE d.datname = current_database() AND s.query NOT ILIKE '%pg_stat_statements%' AND s.query NOT ILIKE '%pg_stat_database%'`,
  );
  const byLabel = new Map<string, { calls: number; totalMs: number }>();
  for (const r of rows) {
    const label = labelOf(r.query);
    const s = byLabel.get(label) ?? { calls: 0, totalMs: 0 };
    s.calls += Number(r.calls);
    s.totalMs += r.total;
    byLabel.set(label, s);
  }
  const [db] = await mesh.sql<{ commits: string; deadlocks: string }>(
    `SELECT xact_commit::text AS commits, deadlocks::text AS deadlocks FROM pg_stat_database WHERE datname = current_database()`,
  );
  const [cp] = await mesh.sql<{ checkpoints: string }>(`SELECT (num_timed + num_requested)::text AS checkpoints FROM pg_stat_checkpointer`);
  return {
    statements: [...byLabel].map(([label, s]) => ({ label, calls: s.calls, totalMs: s.totalMs, meanMs: s.calls ? s.totalMs / s.calls : 0 })).sort((a, b) => b.calls - a.calls),
    commits: Number(db?.commits ?? 0),
    deadlocks: Number(db?.deadlocks ?? 0),
    checkpoints: Number(cp?.checkpoints ?? 0),
  };
}
