import { describe, expect, it } from 'vitest';
import { parseDecision, withKnowledgeRoute } from './route.decision.js';

describe('parseDecision', () => {
  it('accepts a valid decision and defaults the flow type', () => {
    expect(parseDecision({ route: 'SMALL_TALK', intent: 'greeting', confidence: 0.9 })).toEqual({ route: 'SMALL_TALK', intent: 'greeting', confidence: 0.9, flowType: 'Other' });
  });

  it.each([
    [{ route: 'MAYBE', intent: 'x', confidence: 0.5 }],
    [{ route: 'FLOW_EXECUTION', intent: '', confidence: 0.5 }],
    [{ route: 'FLOW_EXECUTION', intent: 'x', confidence: 7 }],
    ['FLOW_EXECUTION'],
    [undefined],
  ])('refuses %j', (output) => {
    expect(() => parseDecision(output)).toThrow(/no valid route/);
  });
});

describe('withKnowledgeRoute', () => {
  const act = { route: 'FLOW_EXECUTION' as const, intent: 'create_task', confidence: 0.8, flowType: 'CreateTask' as const };

  it.each(['¿cómo reabro una tarea cerrada?', 'How do I reopen a closed task?', '¿Qué pasa si la fecha de vencimiento está en el pasado?', 'what is the vacation policy?', 'What priority does a task get when none is given?'])('sends the question %j to KNOWLEDGE', (text) => {
    expect(withKnowledgeRoute(act, text)).toMatchObject({ route: 'KNOWLEDGE', intent: 'search_knowledge' });
  });

  it('sends a longer question it took for small talk to KNOWLEDGE, unless it speaks to the assistant', () => {
    const chat = { route: 'SMALL_TALK' as const, intent: 'small_talk', confidence: 0.6, flowType: 'Other' as const };
    expect(withKnowledgeRoute(chat, 'What internet allowance do remote employees receive?').route).toBe('KNOWLEDGE');
    expect(withKnowledgeRoute(chat, 'hola, ¿cómo estás?').route).toBe('SMALL_TALK');
    expect(withKnowledgeRoute(chat, 'what can you do for me today?').route).toBe('SMALL_TALK');
  });

  it("leaves questions about the user's own records to their tools", () => {
    const list = { ...act, intent: 'list_tasks', flowType: 'Other' as const };
    expect(withKnowledgeRoute(list, 'what tasks do I have?')).toEqual(list);
    expect(withKnowledgeRoute(list, '¿qué tareas tengo con prioridad alta?')).toEqual(list);
    expect(withKnowledgeRoute(list, 'which tasks are assigned to Ana?')).toEqual(list);
    expect(withKnowledgeRoute(list, 'what is on my calendar tomorrow?')).toEqual(list);
  });

  it('keeps a greeting with a how-are-things question as small talk, however long', () => {
    const chat = { route: 'SMALL_TALK' as const, intent: 'small_talk', confidence: 0.8, flowType: 'Other' as const };
    for (const text of ['buenas! ¿qué tal va la semana por allí?', "hey, how's everything going over there?", 'buenos días, ¿cómo va todo en la oficina?']) {
      expect(withKnowledgeRoute(chat, text).route).toBe('SMALL_TALK');
    }
  });

  it("leaves a question about someone's work to listTasks", () => {
    const list = { ...act, intent: 'list_tasks', flowType: 'Other' as const };
    for (const text of ['what is Pedro working on?', 'what does John have pending?', '¿en qué está trabajando María?', "what's on Luis's plate?", 'what is John up to?']) {
      expect(withKnowledgeRoute(list, text)).toEqual(list);
    }
    expect(withKnowledgeRoute(list, 'what are the working hours?').route).toBe('KNOWLEDGE');
  });

  it('keeps a bare request for help as needing more context', () => {
    const vague = { route: 'NEED_MORE_CONTEXT' as const, intent: 'need_more_context', confidence: 0.6, flowType: 'Other' as const };
    for (const text of ['¿me echas una mano?', 'tengo una duda, ¿vale?', 'could I ask a question?']) {
      expect(withKnowledgeRoute(vague, text).route).toBe('NEED_MORE_CONTEXT');
    }
  });

  it('sends the search_knowledge intent to KNOWLEDGE and leaves requests and small talk alone', () => {
    expect(withKnowledgeRoute({ ...act, intent: 'search_knowledge' }, 'la política de gastos')).toMatchObject({ route: 'KNOWLEDGE' });
    expect(withKnowledgeRoute(act, 'crea una tarea para revisar el contrato mañana')).toEqual(act);
    expect(withKnowledgeRoute({ route: 'SMALL_TALK', intent: 'small_talk', confidence: 0.9, flowType: 'Other' }, 'how are you?').route).toBe('SMALL_TALK');
  });
});
