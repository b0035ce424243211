import { createLogUpdate } from 'log-update';
import type { FeedItem } from '../api/execution-stream.js';
import { duration, type Output } from './output.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const FRAME_MS = 80;

interface Running {
  agent: string;
  attempt: number;
  /** Server time of node_started (ms), for the duration of a failure; and local time, for the spinner's clock. */
  startedAt: number;
  shownAt: number;
}

/**
 * Draws an execution as its stream arrives: one line per node that settles (✓ / ✗ with its duration, skipped,
 * retried) and the reply tokens as they come. On a TTY, each running node has a spinner line that updates in place;
 * elsewhere (a pipe, a CI log) a started node prints one plain line instead.
 */
export class ExecutionRenderer {
  private readonly running = new Map<string, Running>();
  private readonly log: ReturnType<typeof createLogUpdate> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private frame = 0;
  private reply = '';
  /** Non-live: a reply token left the cursor mid-line. */
  private midLine = false;

  constructor(
    private readonly out: Output,
    private readonly now: () => number = Date.now,
  ) {
    this.log = out.live ? createLogUpdate(out.terminal.stdout as NodeJS.WriteStream) : undefined;
  }

  onItem(item: FeedItem): void {
    if (item.kind === 'chunk') return this.onChunk(item);
    const nodeId = String(item.payload['nodeId'] ?? '');
    switch (item.type) {
      case 'node_started':
        this.started(nodeId, item);
        break;
      case 'node_completed':
        this.settle(nodeId, `${this.out.c.green('✓')} ${nodeId} ${this.out.c.dim(this.agentOf(nodeId))} ${duration(Number(item.payload['durationMs']))}`);
        break;
      case 'node_failed':
        this.settle(nodeId, this.failedLine(nodeId, item));
        break;
      case 'node_skipped':
        this.settle(nodeId, `${this.out.c.dim('-')} ${nodeId} ${this.out.c.dim(`skipped${item.payload['reason'] ? ` (${String(item.payload['reason'])})` : ''}`)}`);
        break;
      case 'state_changed':
        this.persist(this.out.c.dim(`→ ${String(item.payload['current'])}`));
        break;
      default:
        this.persist(this.out.c.dim(`· ${item.type}`));
    }
    this.render();
  }

  private started(nodeId: string, item: Extract<FeedItem, { kind: 'event' }>): void {
    const running = { agent: String(item.payload['agent'] ?? ''), attempt: Number(item.payload['attempt'] ?? 1), startedAt: Date.parse(item.at), shownAt: this.now() };
    this.running.set(nodeId, running);
    if (!this.log) this.persist(`${this.out.c.cyan('▸')} ${nodeId} ${this.out.c.dim(running.agent + (running.attempt > 1 ? ` (attempt ${running.attempt})` : ''))}`);
  }

  /** `✗ node agent 1.2 s CODE: message`, or `↻ …` when the node will be tried again. */
  private failedLine(nodeId: string, item: Extract<FeedItem, { kind: 'event' }>): string {
    const error = (item.payload['error'] ?? {}) as { code?: string; message?: string };
    const started = this.running.get(nodeId)?.startedAt;
    const at = Date.parse(item.at);
    const took = started !== undefined && Number.isFinite(at) && Number.isFinite(started) ? duration(at - started) : '';
    const why = `${error.code ?? 'ERROR'}: ${error.message ?? ''}`;
    const head = `${nodeId} ${this.out.c.dim(this.agentOf(nodeId))} ${took}`;
    return item.payload['willRetry'] === true ? `${this.out.c.yellow('↻')} ${head} ${this.out.c.yellow(why)} (will retry)` : `${this.out.c.red('✗')} ${head} ${this.out.c.red(why)}`;
  }

  /** Stops the spinners and leaves the cursor at the start of a line. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.log) {
      this.log.clear();
      if (this.reply) this.log.persist(`${this.reply}\n`);
      this.log.done();
    } else if (this.midLine) {
      this.out.write('\n');
      this.midLine = false;
    }
  }

  private onChunk(item: Extract<FeedItem, { kind: 'chunk' }>): void {
    if (item.chunkKind === 'progress') return;
    const text = item.chunkKind === 'error' ? this.out.c.red(item.text) : item.text;
    if (this.log) {
      this.reply += text;
      this.render();
    } else {
      this.out.write(text);
      this.midLine = !text.endsWith('\n');
    }
  }

  private agentOf(nodeId: string): string {
    return this.running.get(nodeId)?.agent ?? '';
  }

  private settle(nodeId: string, line: string): void {
    this.persist(line.trimEnd());
    this.running.delete(nodeId);
  }

  private persist(line: string): void {
    if (this.log) {
      this.log.persist(`${line}\n`);
      return;
    }
    if (this.midLine) this.out.write('\n');
    this.midLine = false;
    this.out.line(line);
  }

  /** Live only: the spinner lines of running nodes, then the reply so far. */
  private render(): void {
    if (!this.log) return;
    const lines = [...this.running].map(([id, r]) => `${this.out.c.cyan(FRAMES[this.frame % FRAMES.length]!)} ${id} ${this.out.c.dim(`${r.agent} ${duration(this.now() - r.shownAt)}`)}`);
    if (this.reply) lines.push('', this.reply);
    this.log(lines.join('\n'));
    if (lines.length > 0 && !this.timer) {
      this.timer = setInterval(() => {
        this.frame++;
        this.render();
      }, FRAME_MS);
    } else if (lines.length === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }
}
