import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { InvokeContext } from '@spine/agent-kit';
import { Clock } from '@spine/agent-kit';
import { PlannerInputSchema, ToolResultSchema } from '@spine/contracts';
import { createModelRouter, loadLlmConfig } from '@spine/llm';
import { toolCatalog } from '@spine/tool-catalog';
import { beforeAll, describe, expect, it } from 'vitest';
import { PlannerService } from './planner.service.js';

// "push it to 4" right after the assistant booked an event: the event is the one just confirmed (issue 16, fresh-cal2).

const NOW = new Date('2026-03-10T15:00:00Z'); // Tuesday, 16:00 in Madrid, 11:00 in New York
const local = createModelRouter(loadLlmConfig({ LOCAL_EMBEDDER: 'hashed' }));
const ctx: InvokeContext = {
  executionId: 'e1', nodeId: 'planner', attempt: 1, tenantId: 'acme', context: {}, model: '', deadline: undefined, scope: undefined,
  signal: new AbortController().signal,
  reportUsage: () => undefined,
};

class FixedClock extends Clock {
  now(): Date {
    return NOW;
  }
}

function plan(text: string, intent: string, language: 'es' | 'en', history: { role: string; text: string }[]) {
  const service = new PlannerService(local, { timezone: 'UTC', locale: language }, new FixedClock());
  const timezone = language === 'es' ? 'Europe/Madrid' : 'America/New_York';
  return service.plan(create(PlannerInputSchema, { timezone, now: timestampFromDate(NOW), roles: ['client'], allowedTools: toolCatalog.map((t) => t.name), intent, language, text, history }), ctx);
}

const booked = (language: 'es' | 'en', title: string) =>
  language === 'es'
    ? [{ role: 'user', text: `agenda ${title} mañana a las 3` }, { role: 'assistant', text: `Listo: creé el evento «${title}» el 11 de marzo de 2026, 15:00.\nDetalles: id 5a86d96e-081f-4d4e-ba6f-1a39c0147bf8.` }]
    : [{ role: 'user', text: `book a ${title} tomorrow at 3pm` }, { role: 'assistant', text: `Done: I created the event «${title}» on March 11, 2026, 15:00.\nDetails: id 5a86d96e-081f-4d4e-ba6f-1a39c0147bf8.` }];

describe('an event named by a pronoun right after it was confirmed', () => {
  // The local provider embeds its examples on first use: once, outside the tests' own time.
  beforeAll(() => plan('hola', 'small_talk', 'es', []), 60_000);

  it.each([
    ['actually push it to 4', 'update_meeting', 'en', 'vendor demo'],
    ['muévela a las 5', 'update_meeting', 'es', 'revisión de contratos'],
    ['mejor cancélala', 'cancel_meeting', 'es', 'comida con Ana'],
    ['please delete it', 'cancel_meeting', 'en', 'vendor demo'],
  ] as const)('"%s" changes the event just booked', async (text, intent, language, title) => {
    const out = await plan(text, intent, language, booked(language, title));
    expect(out.missingFields ?? []).toEqual([]);
    const calls = out.toolCalls ?? [];
    // A move to an hour looks the event up first (for its day); the reference is the title just confirmed either way.
    expect(calls.length).toBe(1);
    expect(JSON.stringify(out)).not.toContain('which event');
  });

  it('round 2 of "push it to 4" moves the event just booked to 16:00 on its own day', async () => {
    const service = new PlannerService(local, { timezone: 'UTC', locale: 'en' }, new FixedClock());
    const previousResults = [create(ToolResultSchema, { tool: 'listCalendarEvents', ok: true, result: { count: 1, events: [{ eventId: 'ev-1', title: 'vendor demo', startsAt: '2026-03-11T19:00:00.000Z' }] } })];
    const out = await service.plan(
      create(PlannerInputSchema, { timezone: 'America/New_York', now: timestampFromDate(NOW), roles: ['client'], allowedTools: toolCatalog.map((t) => t.name), intent: 'update_meeting', language: 'en', text: 'actually push it to 4', history: booked('en', 'vendor demo'), round: 2, previousResults }),
      ctx,
    );
    expect(out.toolCalls?.[0]).toMatchObject({ tool: 'updateCalendarEvent', arguments: { event: 'ev-1', startsAt: '2026-03-11T16:00:00-04:00' } });
  });

  it('asks which event when the last turn confirmed none, or when the message names one itself', async () => {
    const asked = await plan('push it to 4', 'update_meeting', 'en', [{ role: 'user', text: 'new task in Website: send the invoices' }, { role: 'assistant', text: 'Done: I created the task «send the invoices» in Website.' }]);
    expect(asked).toMatchObject({ ready: false, missingFields: ['event'] });
    const named = await plan('push the budget review to 4', 'update_meeting', 'en', booked('en', 'vendor demo'));
    expect(JSON.stringify(named.toolCalls ?? [])).not.toContain('vendor demo');
  });
});
