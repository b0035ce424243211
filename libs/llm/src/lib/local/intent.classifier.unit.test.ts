import { describe, expect, it } from 'vitest';
import { HashedEmbedder } from './hashed.embedder.js';
import { IntentClassifier } from './intent.classifier.js';
import { defaultIntents } from './intent.examples.js';
import { intentCases } from './testing/intent-cases.js';

describe('IntentClassifier (hashed n-gram embeddings)', () => {
  const classifier = new IntentClassifier(new HashedEmbedder(), defaultIntents);

  it.each(intentCases)('%s → %s', async (text, intent) => {
    expect((await classifier.classify(text)).intent).toBe(intent);
  });

  it('gives the route with the intent', async () => {
    expect(await classifier.classify('crea una tarea para mañana')).toMatchObject({ route: 'FLOW_EXECUTION', flowType: 'CreateTask', tools: ['createTask'] });
    expect(await classifier.classify('hola')).toMatchObject({ route: 'SMALL_TALK', intent: 'small_talk' });
    expect(await classifier.classify('zzzz')).toMatchObject({ route: 'UNKNOWN', intent: 'unknown' });
  });

  it.each(['Vestac11259', 'Vestac5ae44', 'Vestac02f01', 'Vestac4a4e8', 'Vestabef657', 'Vestac9a6ff', 'Orion7c1d2e'])(
    'takes a bare name that only looks like chit-chat to the n-grams for no small talk: %s',
    async (name) => {
      // The project's name, said after "¿Cómo se llama el proyecto?", must reach the planner as the answer.
      expect((await classifier.classify(name)).route).not.toBe('SMALL_TALK');
    },
  );

  it.each(['thx', 'holaa', 'buenas!!', 'ok gracias', 'muchas grax'])('still takes chit-chat with a typo or no words for small talk: %s', async (text) => {
    expect((await classifier.classify(text)).route).toBe('SMALL_TALK');
  });

  it('lets a verbatim labelled example win over looser neighbours of another intent', async () => {
    // "create" pulls two create_task examples close; the list_tasks example itself must still decide.
    expect(await classifier.classify('what tasks did I create today?')).toMatchObject({ intent: 'list_tasks' });
  });

  it.each([
    // A new task, however it is asked for: the neighbours of "give", "hay", "cerrar" or "add" must not decide.
    ['hay que crear una tarea para renovar el dominio en Intranet el lunes', 'create_task'],
    ['hay q hacer una tarea para migrar la base de datos en Intranet', 'create_task'],
    ['dale a Marta una tarea para cerrar la caja en Ventas', 'create_task'],
    ['ponme una tarea en Apolo: cerrar la iteración, el viernes', 'create_task'],
    ['give Peter a task to review the invoices tomorrow at 10', 'create_task'],
    ['we need a task to restore the backup in Intranet on Monday', 'create_task'],
    ['in Website, urgent task: fix the checkout, due Friday', 'create_task'],
    ['9am tomorrow Website task: call the printer guy', 'create_task'],
    ['anota revisar el inventario como tarea en Logistica el jueves', 'create_task'],
    // A verb of adding and then what to do, with no task noun.
    ['apunta llamar al gestor el lunes en Ventas', 'create_task'],
    ['porfa agrega enviar el acta a Intranet para mañana', 'create_task'],
    ['add renew the certificates to Website, due Monday', 'create_task'],
    ['jot down call the landlord in Intranet for Friday', 'create_task'],
    ['Logistica: revisar los pedidos el lunes', 'create_task'],
    ['Phoenix: call the supplier on Monday', 'create_task'],
    ['para el jueves: enviar las nominas (Ventas)', 'create_task'],
    ['necesito que Marta envie el presupuesto para el viernes', 'create_task'],
    ['we need Peter to call the bank by Thursday', 'create_task'],
    ['Luis tiene que renovar el dominio antes del lunes', 'create_task'],
    ['tarea para Luis en Website: actualizar el blog, el viernes', 'create_task'],
    ["I'd like a task to clean up the backlog by Friday", 'create_task'],
    ['recuérdame llamar al gestor el martes a las 10', 'create_task'],
    ['remind me to call the bank tomorrow at 9', 'create_task'],
    // "open" makes a task only with an article: "my open tasks" are tasks to list.
    ['open a task to fix the printer in Intranet by Friday', 'create_task'],
    ['my open tasks', 'list_tasks'],
    ['push the design review to thursday at 2pm', 'update_meeting'],
    ['mueve el comité de dirección al viernes a las 10', 'update_meeting'],
    ['pasa la revisión de presupuestos a mañana', 'update_meeting'],
    ['remind Pedro to renew the domain, Website, monday 9am', 'create_task'],
    ['recuérdale a Marta que envíe el acta el viernes', 'create_task'],
    ['open tasks in Website', 'list_tasks'],
    // Projects and users.
    ['quiero abrir un proyecto que se llame Orion', 'create_project'],
    ['I want to launch a project named Vega', 'create_project'],
    ['add Lisa Ray to the team, her email is lisa@acme.com', 'create_user'],
    ['agrega a Jorge Ruiz al equipo, su correo es jorge@acme.com', 'create_user'],
    ['agrega Pilar Gómez al sistema, pilar@acme.com', 'create_user'],
    // Finishing or listing stays what it is.
    ['marca como completada la tarea de enviar el acta', 'complete_task'],
    ['I finished the task renew the certificates', 'complete_task'],
    ['¿qué tareas tengo mañana?', 'list_tasks'],
    ['can you give me my tasks for today?', 'list_tasks'],
    ['crea una tarea para terminar el informe en Ventas el lunes', 'create_task'],
  ])('reads the request its verb and object state: %s → %s', async (text, intent) => {
    const match = await classifier.classify(text);
    expect(match).toMatchObject({ intent, route: 'FLOW_EXECUTION' });
    expect(match.confidence).toBeGreaterThanOrEqual(0.5);
  });

  it('classifies the same text the same way every time', async () => {
    const a = await classifier.classify('agenda una reunión con Ana');
    const b = await new IntentClassifier(new HashedEmbedder(), defaultIntents).classify('agenda una reunión con Ana');
    expect(b).toEqual(a);
  });

  it('restricts candidates and learns extra examples per call', async () => {
    const extra = [{ intent: 'tool:approveInvoice', route: 'FLOW_EXECUTION' as const, tools: ['approveInvoice'], examples: { es: ['aprueba la factura 123'], en: ['approve invoice 123'] } }];
    expect((await classifier.classify('aprueba la factura 456 por favor', { extra })).intent).toBe('tool:approveInvoice');
    const onlyTalk = await classifier.classify('crea una tarea', { among: (d) => d.tools.length === 0 });
    expect(onlyTalk.tools).toEqual([]);
  });
});
