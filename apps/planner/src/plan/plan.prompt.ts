import { formatInstant, type ChatMessage } from '@spine/llm';
import type { PlanRequest } from './plan.request.js';

/** The instructions every model gets; the rules are seed 004's, the clock is the request's nowContext. */
export function planMessages(req: PlanRequest): ChatMessage[] {
  const system = [
    'You plan tool calls for an ERP assistant. Call the tool that does what the user asks.',
    'Pass only values the user stated. Leave out every argument the user did not give, even a required one: never invent a title, name, project, email, date or priority.',
    'Keep names exactly as the user wrote them (project "Website", user "Ana"): the tools resolve names to ids. Never make up an id.',
    `Now is ${formatInstant(req.now.now, req.now.timezone)} in ${req.now.timezone}. Resolve relative dates ("mañana a las 10", "next Friday at 4pm") against it and write them as ISO 8601 with offset.`,
    ...knownNamesLines(req),
    req.context.length ? `What the knowledge base says (cite nothing else):\n${req.context.join('\n')}` : '',
  ]
    .filter(Boolean)
    .join('\n');
  return [{ role: 'system', content: system }, ...req.history.map((t): ChatMessage => ({ role: t.role, content: t.text })), { role: 'user', content: req.text }];
}

/** The tenant's names, so a model tells "tareas de Website" (a project) from "tareas de Ana" (a person); bounded for the prompt. */
function knownNamesLines(req: PlanRequest): string[] {
  const { projects, users, events } = req.knownNames;
  const tasks = req.knownNames.tasks ?? [];
  const list = (names: readonly string[]) => names.slice(0, 100).map((n) => JSON.stringify(n)).join(', ');
  return [
    projects.length ? `The tenant's projects: ${list(projects)}.` : '',
    users.length ? `The tenant's users: ${list(users)}.` : '',
    events.length ? `The user's events: ${list(events)}.` : '',
    tasks.length ? `The tenant's open tasks: ${list(tasks)}.` : '',
    projects.length || users.length || events.length || tasks.length ? 'These names only tell which words of the message name a project, a person or an event; still write each name as the user wrote it, and never add one the user did not say.' : '',
  ];
}
