import { toolCatalog, type ToolSpec } from '@spine/tool-catalog';
import { describe, expect, it } from 'vitest';
import { contextFacts } from './context-facts.js';

const createTask = toolCatalog.find((t) => t.name === 'createTask') as ToolSpec;
const createProject = toolCatalog.find((t) => t.name === 'createProject') as ToolSpec;
const policy = '[policy-website#0] Tasks of the project Website get high priority by default. Reviews take two days.';

describe('contextFacts', () => {
  it("takes a project's default priority from the context pack when the user gave none", () => {
    expect(contextFacts(createTask, { title: 'revisar', project: 'Website' }, [policy])).toEqual({ priority: 'high' });
    expect(contextFacts(createTask, { title: 'revisar', project: 'web' }, ['[p#0] Las tareas del proyecto Web tienen prioridad alta por defecto.'])).toEqual({ priority: 'high' });
  });

  it('leaves what the user said, another project, and tools without a priority alone', () => {
    expect(contextFacts(createTask, { title: 'revisar', project: 'Website', priority: 'low' }, [policy])).toEqual({});
    expect(contextFacts(createTask, { title: 'revisar', project: 'Intranet' }, [policy])).toEqual({});
    expect(contextFacts(createProject, { name: 'Website' }, [policy])).toEqual({});
    expect(contextFacts(createTask, { title: 'revisar' }, ['[x#0] Reviews take two days.'])).toEqual({});
  });
});
