export interface StatusRow {
  name: string;
  pid: number;
  port: number;
  health: string;
  /** Times the launcher started it again after a crash. */
  restarts: number;
}

export interface NatsStatus {
  url: string;
  /** Where every NATS user's password is kept (the services' and the read-only `debug` user's). */
  usersFile: string;
}

/** The status table and every URL worth opening, as printed once the mesh is up and after each restart. */
export function statusReport(rows: StatusRow[], nats: NatsStatus, postgresUrl: string): string {
  const cells = [['SERVICE', 'PID', 'PORT', 'HEALTH', 'RESTARTS'], ...rows.map((r) => [r.name, String(r.pid), String(r.port), r.health, String(r.restarts)])];
  const urls: string[][] = [];
  for (const r of rows) {
    const base = `http://127.0.0.1:${r.port}`;
    if (r.name === 'registry') urls.push([r.name, `${base}/agents`]);
    // The public API: the web console, interactive docs, and gRPC on the next port.
    if (r.name === 'orchestrator') urls.push([r.name, `${base}/console`], [r.name, `${base}/docs`], [r.name, `grpc://127.0.0.1:${r.port + 1}`]);
    urls.push([r.name, `${base}/health/ready`], [r.name, `${base}/metrics`]);
  }
  urls.push(['nats', nats.url], ['nats', `users and passwords in ${nats.usersFile} (read-only user: debug)`], ['postgres', postgresUrl]);
  return `${table(cells)}\n\n${table(urls.map(([name, url]) => [`  ${name}`, url!]))}`;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}
