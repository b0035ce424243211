import type { NodeProgress } from '../model';

/** Each node's run as a bar from its start to its end (or now), relative to the execution's start. */
export function Timeline({ start, progress, order }: { start: string; progress: Record<string, NodeProgress>; order: string[] }) {
  const t0 = new Date(start).getTime();
  const rows = order.filter((id) => progress[id]?.startedAt);
  const end = Math.max(t0 + 1, ...rows.map((id) => new Date(progress[id]!.finishedAt ?? Date.now()).getTime()));
  const pct = (t: number) => `${(((t - t0) / (end - t0)) * 100).toFixed(2)}%`;
  if (rows.length === 0) return <p className="muted">No node has started yet.</p>;
  return (
    <table className="timeline">
      <thead>
        <tr>
          <th scope="col">Node</th>
          <th scope="col">Start</th>
          <th scope="col">Duration</th>
          <th scope="col" className="bar-col">
            <span className="sr-only">Bar</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((id) => {
          const p = progress[id]!;
          const s = new Date(p.startedAt!).getTime();
          const f = p.finishedAt ? new Date(p.finishedAt).getTime() : undefined;
          return (
            <tr key={id}>
              <th scope="row">{id}</th>
              <td>+{s - t0} ms</td>
              <td>{f !== undefined ? `${f - s} ms` : p.state}</td>
              <td className="bar-col">
                <span className={`bar state-${p.state}`} style={{ marginLeft: pct(s), width: `max(2px, calc(${pct(f ?? end)} - ${pct(s)}))` }} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
