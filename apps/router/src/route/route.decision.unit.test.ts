import { describe, expect, it } from 'vitest';
import { parseDecision, withAnswerFacts, withCancel, withFollowUp, withKnowledgeRoute, withVagueRequest } from './route.decision.js';

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

  it.each(["what are luis's tasks", "what are Sarah's open tasks?", "what are john's meetings this week"])("leaves someone's records asked for by name to their tool: %j", (text) => {
    const list = { ...act, intent: 'list_tasks', flowType: 'Other' as const };
    expect(withKnowledgeRoute(list, text)).toEqual(list);
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

describe('knowledge asked in other words', () => {
  const as = (route: 'SMALL_TALK' | 'FLOW_EXECUTION' | 'NEED_MORE_CONTEXT' | 'UNKNOWN') => ({ route, intent: 'x', confidence: 0.6, flowType: 'Other' as const });

  it.each([
    ['SMALL_TALK', 'quiero saber cómo funcionan los reembolsos de gastos'],
    ['SMALL_TALK', 'buenas! una duda: cuál es el código de vestimenta'],
    ['SMALL_TALK', 'I want to understand the expense policy'],
    ['SMALL_TALK', 'hey, quick question: what are the office hours'],
    ['FLOW_EXECUTION', 'me gustaría saber cómo se pide un día libre'],
    ['FLOW_EXECUTION', 'what status does a task get if nobody completes it?'],
    ['FLOW_EXECUTION', 'how many vacation days do we get per year?'],
    ['FLOW_EXECUTION', '¿se pueden agendar reuniones los fines de semana?'],
    ['FLOW_EXECUTION', 'am I allowed to book a call after hours?'],
    ['UNKNOWN', 'necesito saber si el teletrabajo es los viernes'],
    ['NEED_MORE_CONTEXT', 'hola, tengo una duda sobre las dietas de viaje'],
    ['SMALL_TALK', 'busco información sobre el plan de beneficios'],
    ['NEED_MORE_CONTEXT', 'I have a question regarding payroll dates'],
    ['FLOW_EXECUTION', 'qué hago si me pongo malo, hay baja médica?'],
    ['FLOW_EXECUTION', 'what should we do if the office is closed?'],
    ['UNKNOWN', 'is there a parking policy'],
  ] as const)('%s %j → KNOWLEDGE', (route, text) => {
    expect(withKnowledgeRoute(as(route), text).route).toBe('KNOWLEDGE');
  });

  it.each([
    'quiero saber qué tareas tengo esta semana',
    'what does Luis have due friday?',
    'q tiene ana para mañana',
    'hola! cómo va la semana?',
  ])('leaves records and chit-chat alone: %j', (text) => {
    const route = /tareas|Luis|ana/.test(text) ? 'FLOW_EXECUTION' : 'SMALL_TALK';
    expect(withKnowledgeRoute(as(route), text).route).toBe(route);
  });
});

describe('withVagueRequest', () => {
  const act = { route: 'FLOW_EXECUTION' as const, intent: 'create_project', confidence: 0.7, flowType: 'CreateProject' as const };

  it.each(['necesito hacer algo con una tarea', 'quiero cambiar una cosa del proyecto', 'I have to do something with a meeting'])('needs more context: %j', (text) => {
    expect(withVagueRequest(act, text)).toMatchObject({ route: 'NEED_MORE_CONTEXT', intent: 'need_more_context' });
  });

  it.each(['quiero agendar algo', 'book something with Ana', 'hay algo pendiente en Ventas', 'crea algo en el proyecto Apolo', 'apunta algo: llamar al banco', 'is something due tomorrow?'])('leaves a request that says enough: %j', (text) => {
    expect(withVagueRequest(act, text)).toEqual(act);
  });
});

describe('withAnswerFacts', () => {
  const chat = { route: 'SMALL_TALK' as const, intent: 'small_talk', confidence: 0.76, flowType: 'Other' as const };

  it.each(['el jueves a las 10, que dure media hora', 'ventas, tomorrow, high priority', 'el lunes. ah, y que sea urgente', 'friday thx', 'mañana porfa', 'at 3pm pls'])('takes facts an open question waits for out of small talk: %j', (text) => {
    expect(withAnswerFacts(chat, text)).toMatchObject({ route: 'NEED_MORE_CONTEXT', intent: 'answer' });
  });

  it.each(['gracias, hasta el lunes', 'thanks, see you tomorrow', 'genial, gracias por lo de hoy', 'have a nice weekend', 'good morning!', 'hola!', 'thanks!! 👍', 'never mind'])('leaves a closing or greeting as small talk: %j', (text) => {
    expect(withAnswerFacts(chat, text)).toEqual(chat);
  });
});

describe('withFollowUp and withCancel', () => {
  const unknown = { route: 'UNKNOWN' as const, intent: 'unknown', confidence: 0.3, flowType: 'Other' as const };

  it.each(['¿y de logística?', 'y ana?', 'what about apolo', "and luis's?", 'solo las terminadas', 'only the open ones pls', 'and the ones for marketing 2027?', 'hmm and the ones he created?'])('sends a follow-up to the planner: %j', (text) => {
    expect(withFollowUp(unknown, text)).toMatchObject({ route: 'FLOW_EXECUTION', intent: 'follow_up' });
  });

  it('takes a follow-up for one even when the classifier heard a verb in it', () => {
    const heard = { route: 'FLOW_EXECUTION' as const, intent: 'create_task', confidence: 0.6, flowType: 'CreateTask' as const };
    expect(withFollowUp(heard, '¿y las de ventas?')).toMatchObject({ route: 'FLOW_EXECUTION', intent: 'follow_up', flowType: 'Other' });
  });

  it.each(['y tú qué tal?', 'and you?', 'purple monkey'])('leaves anything else: %j', (text) => {
    expect(withFollowUp(unknown, text)).toEqual(unknown);
  });

  it.each(['olvídalo', 'bueno, déjalo', 'never mind', 'forget it, thanks', 'no no, mejor otro día', 'actually, forget it', 'pensándolo bien, déjalo para luego'])('drops the request without planning: %j', (text) => {
    expect(withCancel({ ...unknown, route: 'FLOW_EXECUTION' }, text)).toMatchObject({ route: 'SMALL_TALK', intent: 'cancel' });
  });

  it('leaves cancelling a meeting to its tool', () => {
    const cancel = { route: 'FLOW_EXECUTION' as const, intent: 'cancel_meeting', confidence: 0.9, flowType: 'ScheduleMeeting' as const };
    expect(withCancel(cancel, 'cancela la reunión con Pedro')).toEqual(cancel);
  });
});
