// Issue 16: no reply a user reads in the e2e suites has a raw ISO instant, nor English in a Spanish turn. Every e2e file
// runs this after its tests: it scans each turn an AssistantClient read (the reply and the progress shown while tools ran).
import { afterAll, expect } from 'vitest';
import { replyLog } from './assistant-client.js';
import { replyProblems, turnLocale } from './reply-check.js';

afterAll(() => {
  const problems = replyLog.flatMap(({ text, locale, turn }) => [turn.reply, ...turn.progress].flatMap((shown) => replyProblems(shown, turnLocale(text, locale))));
  expect(problems, `${replyLog.length} turns scanned`).toEqual([]);
});
