import { describe, expect, it } from 'vitest';
import { matchName } from './names.js';

const projects = ['Intranet', 'Website', 'Marketing 2027', 'Migración CRM', 'Logística', 'Ventas'];
const users = ['Ana García', 'Ana Torres', 'Pedro López', 'María Fernández'];

describe('matchName: a name said against the tenant names', () => {
  it.each([
    ['intranet', 'Intranet'],
    ['Logistica', 'Logística'],
    ['migracion crm', 'Migración CRM'],
    ['marketing', 'Marketing 2027'],
    ['Intrnet', 'Intranet'],
    ['Webiste', 'Website'],
  ])('project %s → %s', (said, name) => expect(matchName(projects, said)).toBe(name));

  it.each([
    ['pedro', 'Pedro López'],
    ['maria', 'María Fernández'],
    ['ana garcia', 'Ana García'],
  ])('user %s → %s', (said, name) => expect(matchName(users, said)).toBe(name));

  it('two fit ("Ana" for Ana García and Ana Torres): none, so the tool asks instead of picking', () => {
    expect(matchName(users, 'Ana')).toBeUndefined();
  });

  it('nothing close ("Zeus", "Roberto"): none, never the nearest by force', () => {
    expect(matchName(projects, 'Zeus')).toBeUndefined();
    expect(matchName(users, 'Roberto')).toBeUndefined();
  });
});
