import { describe, expect, it } from 'vitest';
import { dontKnow, groundedAnswer } from './grounded-answer.js';

const sources = [
  { n: 1, title: 'Remote work policy', documentId: 'remote', score: 0.71, text: 'Remote work policy. Remote employees receive a monthly internet allowance of 35 euros. Equipment is returned within ten days.' },
  { n: 2, title: 'Travel policy', documentId: 'travel', score: 0.55, text: 'Train travel is preferred for trips under four hours. Hotels are booked through the travel desk.' },
];

describe('groundedAnswer', () => {
  it('quotes the sentence that answers the question, with its number, and lists the source it cites', () => {
    const answer = groundedAnswer('What internet allowance do remote employees get?', sources, 'en');
    expect(answer).toContain('«Remote employees receive a monthly internet allowance of 35 euros.» [1]');
    expect(answer).toMatch(/Sources: \[1\] Remote work policy \(remote\)$/);
    expect(answer).not.toContain('[2]');
  });

  it('writes the frame in the user language and says it does not know when no sentence shares a word', () => {
    expect(groundedAnswer('¿Cómo se reservan los hoteles?', sources, 'es')).toMatch(/^Según la base de conocimiento: «Hotels are booked through the travel desk\.» \[2\]/);
    expect(groundedAnswer('quantum chromodynamics', sources, 'en')).toBe(dontKnow.en);
  });

  it("quotes a tool's own contract for a question naming the tool, over the sentence every contract shares", () => {
    const contract = (tool: string, description: string, score: number, n: number) => ({
      n, title: `Tool ${tool}`, documentId: `api-${tool}`, score,
      text: `${tool}: ${description}\n\nRoles: admin, client. Changes data: yes.\n\nArguments (JSON Schema): {"type":"object","required":["name"]}`,
    });
    const answer = groundedAnswer('What arguments does the createProject tool take?', [contract('createTask', 'Creates a task.', 0.62, 1), contract('createCalendarEvent', 'Creates a meeting.', 0.6, 2), contract('createProject', 'Creates a project.', 0.41, 3)], 'en');
    expect(answer).toContain('«createProject: Creates a project.» [3]');
    expect(answer).toContain('[3] Tool createProject (api-createProject)');
  });

  it('does not take one stem shared by chance for an answer to a longer question', () => {
    const template = { n: 1, title: 'Tool send_template', documentId: 'api-send_template', score: 0.3, text: "send_template: Sends a message from one of the tenant's templates (complaint-acknowledgment, question-received)." };
    expect(groundedAnswer('What internet allowance do remote employees receive?', [template], 'en')).toBe(dontKnow.en);
  });
});
