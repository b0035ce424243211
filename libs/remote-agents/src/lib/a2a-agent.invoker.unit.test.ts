import { Role, TaskState, type Message, type Part, type Task } from '@a2a-js/sdk';
import { ErrorCode, SpineError } from '@spine/contracts';
import { describe, expect, it } from 'vitest';
import { outputOfParts, outputOfReply } from './a2a-agent.invoker.js';

const text = (value: string): Part => ({ content: { $case: 'text', value }, mediaType: 'text/plain', filename: '', metadata: undefined });
const data = (value: unknown): Part => ({ content: { $case: 'data', value }, mediaType: 'application/json', filename: '', metadata: undefined });
const message = (parts: Part[]): Message => ({ messageId: 'm', contextId: 'c', taskId: '', role: Role.ROLE_AGENT, parts, metadata: undefined, extensions: [], referenceTaskIds: [] });
const task = (state: TaskState, artifactParts: Part[], statusParts: Part[] = []): Task => ({
  id: 't1', contextId: 'c', status: { state, message: statusParts.length ? message(statusParts) : undefined, timestamp: undefined },
  artifacts: artifactParts.length ? [{ artifactId: 'a', name: '', description: '', parts: artifactParts, metadata: undefined, extensions: [] }] : [], history: [], metadata: undefined,
});

describe('an A2A reply as a node output', () => {
  it('is the last object data part, else the text as { text }', () => {
    expect(outputOfParts([data({ a: 1 }), text('x'), data({ b: 2 })])).toEqual({ b: 2 });
    expect(outputOfParts([text('hola '), text('mundo')])).toEqual({ text: 'hola mundo' });
    expect(outputOfParts([])).toBeUndefined();
  });

  it('takes a message reply, and a completed task\'s artifacts (else its status message)', () => {
    expect(outputOfReply(message([data({ rate: 0.9 })]), 'fx')).toEqual({ rate: 0.9 });
    expect(outputOfReply(task(TaskState.TASK_STATE_COMPLETED, [data({ rate: 0.9 })]), 'fx')).toEqual({ rate: 0.9 });
    expect(outputOfReply(task(TaskState.TASK_STATE_COMPLETED, [], [text('done')]), 'fx')).toEqual({ text: 'done' });
  });

  it('turns a failed task or one that wants input into a coded, non-retryable error', () => {
    const failed = (() => {
      try {
        outputOfReply(task(TaskState.TASK_STATE_FAILED, [], [text('no such currency')]), 'fx');
      } catch (err) {
        return err;
      }
    })();
    expect(failed).toBeInstanceOf(SpineError);
    expect(failed).toMatchObject({ code: ErrorCode.FAILED_PRECONDITION, retryable: false, message: expect.stringContaining('no such currency') });
    expect(() => outputOfReply(task(TaskState.TASK_STATE_INPUT_REQUIRED, []), 'fx')).toThrow(/asks for input/);
  });
});
