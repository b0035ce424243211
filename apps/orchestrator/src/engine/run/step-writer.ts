import { redactJson } from '@spine/pii';
import type { Clock } from '../../core/clock.js';
import type { ExecutionDetail, Lease } from '../../store/execution.model.js';
import type { LeasesRepository } from '../../store/leases.repository.js';
import { stateEventPayload, type StepOp } from '../../store/step-commits.js';
import type { RunEvents } from './run-events.js';

type Write = { ops: StepOp[]; start?: string };

/**
 * The writes of one execution run, queued between commits and committed together as one step, fenced by the lease
 * (orchestrator.commit_steps, see migrations/1763970000000-commit-steps.sql). After each commit the step's events
 * go to RunEvents, which publishes them to JetStream.
 */
export class StepWriter {
  private writes: Write[] = [];
  /** The execution as the commit that settled it returned it. */
  settledView: ExecutionDetail | undefined;

  constructor(
    private readonly leases: LeasesRepository,
    private readonly lease: Lease,
    private readonly events: RunEvents,
    private readonly clock: Clock,
    /** The flow has a `redact` gate: every event (and the error a state change carries) is written without personal data. */
    private readonly redact = false,
  ) {}

  get pending(): boolean {
    return this.writes.length > 0;
  }

  /** Queues writes for the next commit; `start` marks the start of a node, dropped if the execution ends first. */
  write(ops: StepOp[], start?: string): void {
    this.writes.push(start ? { ops, start } : { ops });
  }

  /** Takes the queued writes, less the starts of these nodes (they never happen). */
  take(droppedStarts: ReadonlySet<string> = new Set()): StepOp[] {
    const ops = this.writes.filter((w) => !(w.start && droppedStarts.has(w.start))).flatMap((w) => w.ops);
    this.writes = [];
    return ops;
  }

  /** One step, one round trip: the lease check and every write; false when a requested cancel refused it. */
  async commit(ops: StepOp[], honourCancel: boolean): Promise<boolean> {
    if (this.redact) ops = ops.map(redactEvent);
    const result = await this.leases.commitStep(this.lease, ops, honourCancel);
    if (!result.applied) return false;
    if (result.view) this.settledView = result.view;
    const events = ops.filter((o) => o.op === 'event' || o.op === 'state');
    events.forEach((o, i) => {
      const seq = result.seqs[i]!;
      if (o.op === 'event') this.events.add({ seq, type: o.type, payload: o.payload, at: this.clock.now() });
      else if (o.op === 'state') this.events.add({ seq, type: 'state_changed', payload: stateEventPayload(o), at: this.clock.now() });
    });
    this.events.flush();
    return true;
  }
}

function redactEvent(op: StepOp): StepOp {
  if (op.op === 'event') return { ...op, payload: redactJson(op.payload) };
  if (op.op === 'state' && op.error !== undefined) return { ...op, error: redactJson(op.error) };
  return op;
}
