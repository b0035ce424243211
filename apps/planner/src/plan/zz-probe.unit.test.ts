import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { InvokeContext } from '@spine/agent-kit';
import { Clock } from '@spine/agent-kit';
import { PlannerInputSchema } from '@spine/contracts';
import { createModelRouter, loadLlmConfig, LocalProvider, HashedEmbedder } from '@spine/llm';
import { toolCatalog } from '@spine/tool-catalog';
import { it } from 'vitest';
import { PlannerService } from './planner.service.js';

const NOW = new Date('2026-12-07T11:00:00Z');
class FixedClock extends Clock { now(): Date { return NOW; } }
const local = createModelRouter(loadLlmConfig({ LOCAL_EMBEDDER: 'hashed' }));
const ctx: InvokeContext = { executionId: 'e1', nodeId: 'planner', attempt: 1, tenantId: 'acme', context: {}, model: '', deadline: undefined, scope: undefined, signal: new AbortController().signal, reportUsage: () => undefined };
const classifier = new LocalProvider({ embedder: new HashedEmbedder() }).classifier;
const texts: [string, string][] = [
  ['agenda con John el lunes a las 3 y media una llamada', 'es'],
  ['¿puedes moverme la daily a las 10?', 'es'],
  ['ponme una reunión mañana de 9 a 10 con pedro', 'es'],
  ['reunión el 15 de enero a las 17:30h con sarah', 'es'],
  ['necesito una reunión con Ana el jueves a las 12', 'es'],
  ['cancela mi reunión de las 4', 'es'],
  ['cancel my 2pm', 'en'],
  ['set a meeting w luis for thursday 10am', 'en'],
  ['can we do a quick sync with maria tomorrow at 11:30?', 'en'],
  ['please book a 2h workshop with ana, pedro and john next wednesday at 10', 'en'],
  ['bloquea la tarde del viernes', 'es'],
  ['reunión de equipo a las 12 del mediodía el jueves', 'es'],
  ['agenda una llamada el miércoles 16 a las 10', 'es'],
  ['meet with Sarah on the 16th at 3pm', 'en'],
  ['move the sync with maria to 3:30', 'en'],
  ['la reunión con pedro pásala al jueves', 'es'],
  ['cambia la reunión con Ana de las 10 a las 12', 'es'],
  ['delete all my meetings tomorrow', 'en'],
  ['que reuniones tengo esta semana?', 'es'],
  ['what is on my agenda for friday?', 'en'],
  ['do I have any calls on tuesday', 'en'],
  ['organiza una reunión con el equipo de marketing el lunes a primera hora', 'es'],
  ['a las 11 con luis mañana', 'es'],
  ['call with john at 11 tomorrow', 'en'],
  ['book me with pedro thursday 2-3pm', 'en'],
];
it('probe', async () => {
  const service = new PlannerService(local, { timezone: 'UTC', locale: 'es' }, new FixedClock());
  for (const [text, language] of texts) {
    const m = await classifier.classify(text);
    const tz = language === 'es' ? 'Europe/Madrid' : 'America/New_York';
    const out = await service.plan(create(PlannerInputSchema, { timezone: tz, now: timestampFromDate(NOW), roles: ['client'], allowedTools: toolCatalog.map((t) => t.name), text, language, intent: m.intent, flowType: m.flowType ?? '' } as MessageInitShape<typeof PlannerInputSchema>), ctx);
    console.log(`${text} | ${m.intent} | ${JSON.stringify(out.toolCalls?.map((c) => [c.tool, c.arguments]) ?? out.missingFields)} ${out.followUp ? 'FOLLOWUP' : ''} ${out.blockedReason ?? ''}`);
  }
});
