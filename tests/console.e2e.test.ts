// The console in real Chromium (Debian's `chromium`, driven by playwright-core: no browser download) against a mesh
// started as `npm start` starts it. Screenshots of each page go to tmp/console-screenshots/ (gitignored).
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, startMesh, type LocalMesh } from './support/launched-mesh.js';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const SHOTS = join(repoRoot, 'tmp', 'console-screenshots');
const UI_WAIT_MS = 60_000;

describe('console in Chromium against the local mesh', () => {
  let mesh: LocalMesh;
  let browser: Browser;
  /** Requests any page made to another origin: the console must make none. */
  const foreign: string[] = [];

  const api = async <T>(path: string, init: { method?: string; body?: unknown; yaml?: string; key?: string } = {}): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${mesh.url}${path}`, {
      method: init.method ?? (init.body !== undefined || init.yaml !== undefined ? 'POST' : 'GET'),
      headers: { authorization: `Bearer ${init.key ?? mesh.adminKey}`, 'content-type': init.yaml !== undefined ? 'application/yaml' : 'application/json' },
      ...(init.yaml !== undefined ? { body: init.yaml } : init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as T };
  };

  /** A fresh browser context (nothing shared between tests), signed in with the admin key through the form. */
  const signedIn = async (path = '/console/'): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 800 } });
    const page = await context.newPage();
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (url.origin !== mesh.url && url.protocol !== 'data:') foreign.push(r.url());
    });
    await page.goto(`${mesh.url}${path}`);
    await page.getByLabel('API key').fill(mesh.adminKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('who').waitFor({ timeout: UI_WAIT_MS });
    return page;
  };
  const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  /** Replaces the CodeMirror editor's text as a person would: select all, then type (insert) the new text. */
  const typeFlow = async (page: Page, text: string) => {
    await page.locator('.cm-content').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(text);
  };

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM}: apt-get install chromium (.ci/run does), or set CHROMIUM_PATH`);
    mkdirSync(SHOTS, { recursive: true });
    mesh = await startMesh();
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  });

  afterAll(async () => {
    await browser?.close();
    await mesh?.stop();
    expect(foreign, 'requests to another origin').toEqual([]);
  });

  it('signs in with an API key kept in session storage, never in the URL, and shows the tenant and role', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${mesh.url}/console/`);
    await shot(page, '01-sign-in');
    await page.getByLabel('API key').fill('spk_aaaaaaaaaaaa_wrong');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'not accepted' }).waitFor({ timeout: UI_WAIT_MS });
    await page.getByLabel('API key').fill(mesh.adminKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const who = await page.getByTestId('who').textContent({ timeout: UI_WAIT_MS });
    expect(who).toMatch(/tenant\s*default.*role\s*admin/);
    expect(page.url()).not.toContain(mesh.adminKey);
    expect(await page.evaluate(() => Object.values(sessionStorage))).toContain(mesh.adminKey);
    expect(await page.evaluate(() => Object.values(localStorage))).not.toContain(mesh.adminKey);
    // The admin sees the Keys page; a client key would not (checked below with a client key).
    await page.getByRole('link', { name: 'Keys' }).waitFor();
    await shot(page, '02-flows');
    await context.close();
  });

  it('offers a client key neither Keys nor deploy', async () => {
    const { body } = await api<{ token: string }>('/v1/admin/api-keys', { body: { name: `client-${Date.now()}`, role: 'client' } });
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${mesh.url}/console/flows/erp-assistant`);
    await page.getByLabel('API key').fill(body.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await page.getByTestId('who').textContent({ timeout: UI_WAIT_MS })).toMatch(/role\s*client/);
    await page.getByRole('heading', { name: 'erp-assistant' }).waitFor({ timeout: UI_WAIT_MS });
    expect(await page.getByRole('link', { name: 'Keys' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'New flow' }).count()).toBe(0);
    expect(await page.getByRole('tab', { name: 'Edit' }).count()).toBe(0);
    await context.close();
  });

  it('deploys a flow from the editor after fixing the validation error it showed at its path', async () => {
    const id = `console-deploy-${Date.now()}`;
    const page = await signedIn('/console/flows/new');
    const broken = `id: ${id}\nnodes:\n  - id: intake\n    agent: intake\n    inputs:\n      text: "{{ trigger.content }}"\n  - id: router\n    agent: no-such-agent\n    dependsOn: [intake]\n`;
    await typeFlow(page, broken);
    const issues = page.getByRole('list', { name: 'Validation issues' });
    await issues.waitFor({ timeout: UI_WAIT_MS });
    expect(await issues.textContent()).toMatch(/nodes\[1\]/);
    // Marked in the editor at the path: the agent's line (line 8) carries the error.
    await page.locator('.cm-lintRange-error').first().waitFor({ timeout: UI_WAIT_MS });
    expect(await page.locator('.cm-lintRange-error').first().textContent()).toMatch(/agent|no-such-agent/);
    expect(await page.getByRole('button', { name: 'Deploy' }).isDisabled()).toBe(true);
    await shot(page, '03-flow-editor-issue');
    await typeFlow(page, broken.replace('no-such-agent', 'router').concat('    inputs:\n      text: "{{ intake.text }}"\n      language: "{{ intake.language }}"\n'));
    await page.getByText('Valid: no issues.').waitFor({ timeout: UI_WAIT_MS });
    await page.getByRole('button', { name: 'Deploy' }).click();
    await page.getByRole('heading', { name: id }).waitFor({ timeout: UI_WAIT_MS });
    expect(page.url()).toContain(`/console/flows/${id}`);
    expect((await api<{ version: number }>(`/v1/flows/${id}`)).body.version).toBe(1);
    await shot(page, '04-flow-deployed');
  });

  it('starts an execution and sees every node turn succeeded in the DAG without reloading', async () => {
    const id = `console-run-${Date.now()}`;
    const yaml = `id: ${id}\nnodes:\n  - id: intake\n    agent: intake\n    inputs:\n      text: "{{ trigger.content }}"\n  - id: router\n    agent: router\n    dependsOn: [intake]\n    inputs:\n      text: "{{ intake.text }}"\n      language: "{{ intake.language }}"\n`;
    expect((await api(`/v1/flows`, { yaml })).status).toBe(201);
    const page = await signedIn(`/console/flows/${id}`);
    await page.getByRole('tab', { name: 'Run' }).click();
    await page.getByLabel(/Input \(JSON/).fill('{ "content": "hola, crea una tarea" }');
    let loads = 0;
    page.on('load', () => loads++);
    await page.getByRole('button', { name: 'Start execution' }).click();
    await page.waitForURL(/\/console\/executions\/[0-9a-f-]{36}$/, { timeout: UI_WAIT_MS });
    for (const node of ['intake', 'router']) await page.locator(`li[data-node="${node}"][data-state="succeeded"]`).waitFor({ state: 'attached', timeout: UI_WAIT_MS });
    await page.getByTestId('execution-state').filter({ hasText: 'DONE' }).waitFor({ timeout: UI_WAIT_MS });
    expect(loads, 'the page was never reloaded').toBe(0);
    // The DAG drawn by React Flow carries the same states.
    expect(await page.locator('.react-flow__node[data-state="succeeded"]').count()).toBe(2);
    await page.locator('li[data-node="router"] button').click();
    await page.getByRole('heading', { name: 'router', exact: true }).waitFor();
    await shot(page, '05-execution');
    await page.getByRole('link', { name: 'Executions' }).click();
    await page.getByRole('table', { name: 'Executions' }).getByText(id).first().waitFor({ timeout: UI_WAIT_MS });
    await shot(page, '06-executions');
  });

  it('chats with the assistant: the reply streams in token by token and the side DAG finishes', async () => {
    const page = await signedIn('/console/chat');
    await page.getByRole('textbox', { name: 'Message', exact: true }).fill('crea el proyecto Website');
    await page.getByRole('button', { name: 'Send' }).click();
    const reply = page.locator('li[data-role="assistant"][data-done="true"]');
    // The reply ends, or the page says why not.
    await page.locator('li[data-role="assistant"][data-done="true"], [role="alert"]').first().waitFor({ timeout: UI_WAIT_MS });
    expect(await page.getByRole('alert').allTextContents()).toEqual([]);
    expect(Number(await reply.getAttribute('data-chunks')), 'reply chunks').toBeGreaterThan(1);
    expect((await reply.textContent())?.length).toBeGreaterThan(10);
    await page.getByTestId('chat-execution-state').filter({ hasText: /DONE|WAITING_INPUT/ }).waitFor({ timeout: UI_WAIT_MS });
    await shot(page, '07-chat');
    // Its execution's page: the erp-assistant DAG (the README's screenshot).
    await reply.getByRole('link', { name: 'execution' }).click();
    await page.locator('li[data-node="streamer"][data-state="succeeded"]').waitFor({ state: 'attached', timeout: UI_WAIT_MS });
    await page.locator('li[data-node="router"] button').click();
    await page.getByTestId('reply').filter({ hasText: /\w/ }).waitFor({ timeout: UI_WAIT_MS });
    await shot(page, '08-execution-erp-assistant');
  });

  it('creates a key (token shown once) and revokes it; the revoked key is refused', async () => {
    const name = `console-key-${Date.now()}`;
    const page = await signedIn('/console/keys');
    await page.getByLabel('Name').fill(name);
    await page.getByRole('button', { name: 'Create key' }).click();
    const token = (await page.getByTestId('new-token').textContent({ timeout: UI_WAIT_MS }))!.trim();
    expect((await api('/v1/whoami', { key: token })).status).toBe(200);
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: `Revoke ${name}` }).click();
    await page.locator(`tr[data-key="${name}"]`).getByText('revoked').waitFor({ timeout: UI_WAIT_MS });
    expect((await api('/v1/whoami', { key: token })).status).toBe(401);
    await shot(page, '09-keys');
  });

  it('shows agents with their health', async () => {
    const page = await signedIn('/console/agents');
    const streamer = page.getByRole('table', { name: 'Agents' }).getByRole('row').filter({ has: page.getByRole('rowheader', { name: /^streamer/ }) });
    await streamer.waitFor({ timeout: UI_WAIT_MS });
    expect(await streamer.textContent()).toMatch(/healthy \(\d+\)/);
    expect(await streamer.locator('td[data-breaker]').getAttribute('data-breaker')).toMatch(/^(closed|open|half-open)$/);
    await page.getByLabel('Name').fill('Bad Name');
    await page.getByRole('button', { name: 'Register' }).click();
    await page.getByText('lower-case letters').waitFor();
    await shot(page, '10-agents');
  });

  it('approves an inbox task and sees the execution finish', async () => {
    const id = `console-inbox-${Date.now()}`;
    const yaml = `id: ${id}\nnodes:\n  - id: intake\n    agent: intake\n    inputs:\n      text: "{{ trigger.content }}"\n  - id: review\n    kind: human\n    dependsOn: [intake]\n    prompt: "Approve this message?"\n    decisions: [approve, reject]\n    inputs:\n      text: "{{ trigger.content }}"\n`;
    expect((await api(`/v1/flows`, { yaml })).status).toBe(201);
    const { body } = await api<{ executionId: string }>(`/v1/flows/${id}/executions`, { body: { input: { content: 'hola' } } });
    const page = await signedIn('/console/inbox');
    const task = page.locator('article.task').filter({ hasText: body.executionId.slice(0, 8) });
    await task.waitFor({ timeout: UI_WAIT_MS });
    await shot(page, '11-inbox');
    await task.getByRole('button', { name: 'Approve' }).click();
    await page.goto(`${mesh.url}/console/executions/${body.executionId}`);
    await page.getByTestId('execution-state').filter({ hasText: 'DONE' }).waitFor({ timeout: UI_WAIT_MS });
  });
});
