import { describe, expect, it } from 'vitest';
import type { KnownNames } from '../llm.types.js';
import { extractArguments } from './slot-extractor.js';
import { erpTool } from './testing/erp-tools.fixture.js';

// Monday 7 December 2026, 11:00 in Madrid.
const now = { timezone: 'Europe/Madrid', now: new Date('2026-12-07T10:00:00Z') };
const known: KnownNames = { projects: ['Ventas', 'Logística', 'Apolo', 'Migración CRM'], users: ['Luis Martín', 'María Fernández', 'Pedro López', 'Ana García'], events: [] };
const extract = (text: string, tool = 'createTask') => extractArguments(text, erpTool(tool).parameters, { now, locale: 'es', toolName: tool, known }).args;

describe('a task handed to someone after «a», and a new user among other words', () => {
  it.each([
    ['pon una tarea a ana en migracion crm para exportar los clientes antes del miércoles', { assignee: 'ana', title: 'exportar los clientes' }],
    ['ponle una tarea a pedro en ventas: llamar al cliente, el jueves', { assignee: 'pedro', title: 'llamar al cliente' }],
    ['dale una tarea a luis en logística para revisar los envíos el viernes', { assignee: 'luis', title: 'revisar los envíos' }],
  ])('%s', (text, expected) => {
    expect(extract(text)).toMatchObject(expected);
  });

  it('keeps "mandar el acta a Pedro" a title, not a task for Pedro', () => {
    expect(extract('crea una tarea: mandar el acta a Pedro, Ventas, mañana a las 8')).not.toHaveProperty('assignee');
  });

  it.each([
    ['da de alta a la nueva compañera, Lucía Romero, lucia.romero@acme.test', 'Lucía Romero'],
    ['crea un usuario para el nuevo becario: Marcos Ruiz, marcos@acme.test', 'Marcos Ruiz'],
    ['add our new hire, Tom Baker, tom@acme.test', 'Tom Baker'],
  ])('%s → the capitalised name in the list', (text, name) => {
    expect(extract(text, 'createUser')).toMatchObject({ name });
  });

  it.each([
    ['tarea importante para mañana en apolo: revisar los contratos', 'high'],
    ['important task in ventas: fix the invoice export, due friday', 'high'],
  ])('%s → priority %s', (text, priority) => {
    expect(extract(text)).toMatchObject({ priority });
  });
});
