import { describe, expect, it } from 'vitest';
import { HashedEmbedder } from './hashed.embedder.js';
import { IntentClassifier } from './intent.classifier.js';
import { defaultIntents } from './intent.examples.js';
import { intentFeatures } from './intent.mask.js';

// Phrasings none of the labelled examples contains: the sentence's shape has to carry them.
describe('intent of requests without a verb or object keyword (hashed n-grams, as the mesh runs)', () => {
  const classifier = new IntentClassifier(new HashedEmbedder(), defaultIntents);

  it.each([
    // a label, then what to do
    ['Logística: pedir los palets, el lunes', 'create_task'],
    ['Apolo: subir la build para el viernes', 'create_task'],
    ['Marketing 2027: write the newsletter by monday', 'create_task'],
    ['para mañana: llamar a la gestoria (Ventas)', 'create_task'],
    ['by friday: send the invoice (Website)', 'create_task'],
    // work handed to someone
    ['necesito que Pedro llame al proveedor el lunes en Logística', 'create_task'],
    ['quiero que María prepare la demo para el viernes', 'create_task'],
    ['I need John to update the pricing page by monday', 'create_task'],
    ['have Sarah review the contract by friday in Intranet', 'create_task'],
    // something the user has finished
    ['terminé de preparar la demo', 'complete_task'],
    ['ya hice lo de revisar el contrato', 'complete_task'],
    ['I finished the pricing page update', 'complete_task'],
    ['done with reviewing the contract', 'complete_task'],
    ['listo, ya mandé las facturas', 'complete_task'],
    ['marcar como hecha la tarea del inventario', 'complete_task'],
    ['set the invoices task as complete', 'complete_task'],
    ['already sent the invoices', 'complete_task'],
    ['Intranet — migrar los usuarios el lunes', 'create_task'],
    // several tasks asked for, with no verb
    ['tareas terminadas de Pedro', 'list_tasks'],
    ['completed tasks for John', 'list_tasks'],
    ['tasks for Pedro', 'list_tasks'],
    ['tareas para Luis', 'list_tasks'],
    ['tomorrow\'s tasks', 'list_tasks'],
    ['what is Pedro working on?', 'list_tasks'],
    ['que esta haciendo Luis', 'list_tasks'],
    ['q tengo pendiente esta semana', 'list_tasks'],
    ['que tengo para hoy', 'list_tasks'],
    ['what do I have due this week?', 'list_tasks'],
  ])('%s → %s', async (text, intent) => {
    expect((await classifier.classify(text)).intent).toBe(intent);
  });

  it.each([
    ['thnx', 'small_talk'],
    ['ty!', 'small_talk'],
    ['grax', 'small_talk'],
    ['buenas! qué tal va la semana?', 'small_talk'],
    ["hey! how's everything going over there?", 'small_talk'],
    ['buenos dias, como va todo?', 'small_talk'],
    ['cool', 'small_talk'],
    ['tks', 'small_talk'],
    ['can you give me a hand?', 'need_more_context'],
    ['una preguntita', 'need_more_context'],
    ['quiero pedirte algo', 'need_more_context'],
    ['me ayudas?', 'need_more_context'],
    ['¿puedes echarme una mano?', 'need_more_context'],
    ['could you help me?', 'need_more_context'],
    ['can u help me pls', 'need_more_context'],
    ['tengo una duda rapida', 'need_more_context'],
    ["i've got a question", 'need_more_context'],
  ])('%s → %s', async (text, intent) => {
    expect((await classifier.classify(text)).intent).toBe(intent);
  });

  it.each(['gracias, lo reviso para el viernes', 'thanks, talk to you by monday', 'ya terminé, gracias', "I'm done, thanks", 'genial, ya está'])('takes the goodbye %j for no request', async (text) => {
    expect((await classifier.classify(text)).route).not.toBe('FLOW_EXECUTION');
  });

  it('still tells meetings, lists and knowledge apart', async () => {
    expect((await classifier.classify('agenda una reunión con Ana para el viernes a las 10')).intent).toBe('schedule_meeting');
    expect((await classifier.classify('¿qué reuniones tengo el jueves?')).intent).toBe('list_meetings');
    expect((await classifier.classify('how do we approve expenses?')).intent).toBe('search_knowledge');
  });
});

describe('intentFeatures', () => {
  const cues = (text: string) => intentFeatures(text).split(' ').filter((w) => w.startsWith('zzcue'));

  it('marks a label, a deadline, a delegation and a finished job', () => {
    expect(cues('Compras - pedir presupuesto')).toContain('zzcuelabel');
    expect(cues('enviar el informe antes del lunes')).toContain('zzcuedeadline');
    expect(cues('quiero que Pedro revise el informe')).toContain('zzcuedelegate');
    expect(cues('ya acabé el informe')).toContain('zzcuefinished');
  });

  it('reads no deadline or label into a question, and no task into a Spanish "todo"', () => {
    expect(cues('what do I have due this week?')).not.toContain('zzcuedeadline');
    expect(cues('aprueba la factura, invoice: F-123')).not.toContain('zzcuelabel');
    expect(cues('¿todo bien?')).not.toContain('zzcuetask');
    expect(cues('todo: renew the domain')).toContain('zzcuetask');
  });
});

describe('calendar intents said by their first verb or by a day (issue 16, fresh-cal misses)', () => {
  const classifier = new IntentClassifier(new HashedEmbedder(), defaultIntents);
  it.each([
    ['¿qué tengo el miércoles?', 'list_meetings'],
    ['y que tengo el jueves', 'list_meetings'],
    ['que tengo la semana que viene', 'list_meetings'],
    ['what do I have on thursday', 'list_meetings'],
    ['what do I have next week?', 'list_meetings'],
    ['¿qué tengo para mañana?', 'list_tasks'],
    ['enséñame la agenda de pasado mañana', 'list_meetings'],
    ['muéstrame mi calendario del lunes', 'list_meetings'],
    ['show me my calendar for friday', 'list_meetings'],
    ['quiero agendar algo', 'schedule_meeting'],
    ['agéndame una demo de Apolo con el cliente el 14 de enero a las 12:00, que dure 45 min', 'schedule_meeting'],
    ['agenda la revisión del sprint el viernes a las 9 menos cuarto', 'schedule_meeting'],
    ['schedule a meeting with ana at quarter past 2 on thursday', 'schedule_meeting'],
    ['book a sync with john at half past ten on friday', 'schedule_meeting'],
    ['meeting with the team at half past ten tomorrow', 'schedule_meeting'],
    ['alarga la reunion de presupuesto a 2 horas', 'update_meeting'],
    ['extend the budget review to 90 minutes', 'update_meeting'],
    ['make the budget review 30 min longer', 'update_meeting'],
    ['haz la reunión de presupuesto más corta', 'update_meeting'],
    ['30 min 1:1 with Luis tomorrow 4pm', 'schedule_meeting'],
    ['bloquea la tarde del viernes', 'schedule_meeting'],
    ['block the morning on friday for the audit', 'schedule_meeting'],
    ['meet with Sarah on the 16th at 3pm', 'schedule_meeting'],
    ['one-on-one con Ana el jueves a las 10', 'schedule_meeting'],
  ])('%s → %s', async (text, intent) => {
    expect((await classifier.classify(text)).intent).toBe(intent);
  });
});
