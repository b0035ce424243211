import { describe, expect, it } from 'vitest';
import type { FeedItem } from '../api/execution-stream.js';
import { ExecutionRenderer } from './execution-renderer.js';
import { Output } from './output.js';

const at = (ms: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, 0, ms)).toISOString();
const ev = (seq: number, type: string, payload: Record<string, unknown>, ms = 0): FeedItem => ({ kind: 'event', id: `${seq}.0`, seq, type, payload, at: at(ms) });
const tok = (seq: number, text: string): FeedItem => ({ kind: 'chunk', id: `0.${seq}`, seq, chunkKind: 'token', text, final: false });

describe('ExecutionRenderer off a terminal', () => {
  it('prints a line per node with ✓/✗ and durations, and the reply tokens inline', () => {
    let text = '';
    const stdout = { isTTY: false, write: (s: string) => ((text += s), true) } as unknown as NodeJS.WritableStream;
    const renderer = new ExecutionRenderer(new Output({ stdout, stderr: stdout }, { json: false, color: false }));
    for (const item of [
      ev(1, 'node_started', { nodeId: 'a', agent: 'intake', attempt: 1 }),
      ev(2, 'node_completed', { nodeId: 'a', durationMs: 12 }),
      ev(3, 'node_started', { nodeId: 'b', agent: 'streamer', attempt: 1 }, 100),
      tok(1, 'Hola '),
      tok(2, 'mundo'),
      ev(4, 'node_failed', { nodeId: 'b', attempt: 1, willRetry: false, error: { code: 'TIMEOUT', message: 'too slow' } }, 1600),
      ev(5, 'node_skipped', { nodeId: 'c', reason: 'condition' }),
      ev(6, 'state_changed', { previous: 'RECEIVED', current: 'FAILED' }),
    ]) renderer.onItem(item);
    renderer.stop();
    expect(text).toBe(['▸ a intake', '✓ a intake 12 ms', '▸ b streamer', 'Hola mundo', '✗ b streamer 1.5 s TIMEOUT: too slow', '- c skipped (condition)', '→ FAILED', ''].join('\n'));
  });
});
