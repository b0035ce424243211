import { createTwoFilesPatch } from 'diff';
import { Command, Option } from 'commander';
import { stringify } from 'yaml';
import type { ApiClient } from '../api/client.js';
import { CliError, EXIT } from '../api/errors.js';
import type { ContextFactory } from '../context.js';
import { issuesOfError, issuesOfFile, printIssues, syntaxIssue, type FileIssue, type IssueFormat } from '../flows/flow-issues.js';
import { readSourceFile, type SourceFile } from '../input/documents.js';
import type { Output } from '../output/output.js';
import { examples, positiveInt } from './help.js';

interface FlowVersion {
  id: string;
  version: number;
  label: string | null;
  name: string | null;
  nodes: { id: string; kind: string; agent: string | null; dependsOn: string[] }[];
  definition: unknown;
  createdAt: string;
}

/** A flow file as the API takes it: YAML as written (its own content type), anything else as JSON. */
function bodyOf(source: SourceFile) {
  return source.yaml ? { text: source.text, contentType: 'application/yaml' } : { json: source.value };
}

async function validateFile(api: ApiClient, file: string): Promise<FileIssue[]> {
  const source = readSourceFile(file);
  if (source.syntaxError) return [syntaxIssue(source)];
  try {
    const res = await api.request<{ valid: boolean; issues: { code: string; path: string; message: string }[] }>('POST', '/v1/flows/validate', bodyOf(source));
    return issuesOfFile(source, res.issues);
  } catch (err) {
    // Over a size limit, or not a flow at all: refused with a 400 that names each problem by path.
    if (err instanceof CliError && err.status === 400) return issuesOfError(source, err);
    throw err;
  }
}

const flowSummary = (out: Output, f: FlowVersion) => `${out.c.bold(f.id)} version ${f.version}${f.label ? ` (${f.label})` : ''}: ${f.nodes.length} nodes`;

export function flowsCommand(ctxOf: ContextFactory): Command {
  const flows = new Command('flows').description('validate, deploy, list, show and compare flows');
  for (const make of [validateCommand, deployCommand, listCommand, getCommand, diffCommand]) flows.addCommand(make(ctxOf));
  return flows;
}

function validateCommand(ctxOf: ContextFactory): Command {
  return new Command('validate')
    .description('check flow files (JSON or YAML) without deploying them; exit 1 when any has a problem')
    .argument('<files...>', 'flow files')
    .addOption(new Option('--format <format>', 'text: file:path CODE message; github: ::error annotations for GitHub Actions').choices(['text', 'github']).default('text'))
    .addHelpText('after', examples(['spine flows validate flows/*.yaml', 'spine flows validate support.yaml --format github   # in a GitHub Actions step']))
    .action(async (files: string[], opts: { format: IssueFormat }, cmd: Command) => {
      const ctx = ctxOf(cmd);
      const api = ctx.api();
      const results: { file: string; valid: boolean; issues: FileIssue[] }[] = [];
      for (const file of files) {
        const issues = await validateFile(api, file);
        results.push({ file, valid: issues.length === 0, issues });
      }
      if (ctx.out.json) ctx.out.data({ valid: results.every((r) => r.valid), files: results });
      else {
        for (const r of results) {
          if (r.valid && opts.format === 'text') ctx.out.line(`${r.file} ${ctx.out.c.green('ok')}`);
          printIssues(ctx.out, r.issues, opts.format);
        }
      }
      if (results.some((r) => !r.valid)) ctx.exitWith(EXIT.failed);
    });
}

function deployCommand(ctxOf: ContextFactory): Command {
  return new Command('deploy')
    .description('deploy a flow file as a new version (admin); every problem is listed first, nothing deployed')
    .argument('<file>', 'flow file (JSON or YAML)')
    .addOption(new Option('--format <format>', 'how problems are printed').choices(['text', 'github']).default('text'))
    .addHelpText('after', examples(['spine flows deploy support.yaml', 'spine flows deploy support.json --json | jq .version']))
    .action(async (file: string, opts: { format: IssueFormat }, cmd: Command) => {
      const ctx = ctxOf(cmd);
      const source = readSourceFile(file);
      if (source.syntaxError) {
        printIssues(ctx.out, [syntaxIssue(source)], opts.format);
        ctx.exitWith(EXIT.failed);
        return;
      }
      let deployed: FlowVersion;
      try {
        deployed = await ctx.api().request<FlowVersion>('POST', '/v1/flows', bodyOf(source));
      } catch (err) {
        if (!(err instanceof CliError && err.status === 400 && err.code === 'INVALID_ARGUMENT')) throw err;
        const issues = issuesOfError(source, err);
        if (ctx.out.json) ctx.out.data({ deployed: false, issues });
        else printIssues(ctx.out, issues, opts.format);
        ctx.exitWith(EXIT.failed);
        return;
      }
      if (ctx.out.json) ctx.out.data(deployed);
      else ctx.out.line(`${ctx.out.c.green('deployed')} ${flowSummary(ctx.out, deployed)}`);
    });
}

function listCommand(ctxOf: ContextFactory): Command {
  return new Command('list')
    .description("the tenant's flows with their latest version")
    .addHelpText('after', examples(['spine flows list', 'spine flows list --json | jq -r \'.flows[].id\'']))
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = ctxOf(cmd);
      const res = await ctx.api().get<{ flows: { id: string; latestVersion: number; versions: number; updatedAt: string }[] }>('/v1/flows');
      if (ctx.out.json) return ctx.out.data(res);
      if (res.flows.length === 0) return ctx.out.note('no flows yet: spine flows deploy FILE');
      ctx.out.table(['ID', 'LATEST', 'VERSIONS', 'UPDATED'], res.flows.map((f) => [f.id, String(f.latestVersion), String(f.versions), String(f.updatedAt)]));
    });
}

function getCommand(ctxOf: ContextFactory): Command {
  return new Command('get')
    .description('a flow version: its nodes, then its definition as YAML')
    .argument('<id>', 'flow id')
    .option('--version <n>', 'a version (default: the latest)', positiveInt)
    .addHelpText('after', examples(['spine flows get support', 'spine flows get support --version 2 --json | jq .definition']))
    .action(async (id: string, opts: { version?: number }, cmd: Command) => {
      const ctx = ctxOf(cmd);
      const flow = await getVersion(ctx.api(), id, opts.version);
      if (ctx.out.json) return ctx.out.data(flow);
      ctx.out.line(`${flowSummary(ctx.out, flow)}, deployed ${flow.createdAt}`);
      ctx.out.table(['NODE', 'KIND', 'AGENT', 'DEPENDS ON'], flow.nodes.map((n) => [n.id, n.kind, n.agent ?? '', n.dependsOn.join(', ')]));
      ctx.out.line();
      ctx.out.write(stringify(flow.definition));
    });
}

function diffCommand(ctxOf: ContextFactory): Command {
  return new Command('diff')
    .description('what changed between two versions of a flow (a unified diff of their definitions)')
    .argument('<id>', 'flow id')
    .argument('<v1>', 'older version', positiveInt)
    .argument('<v2>', 'newer version', positiveInt)
    .addHelpText('after', examples(['spine flows diff support 1 2']))
    .action(async (id: string, v1: number, v2: number, _opts: unknown, cmd: Command) => {
      const ctx = ctxOf(cmd);
      const api = ctx.api();
      const [a, b] = await Promise.all([getVersion(api, id, v1), getVersion(api, id, v2)]);
      const patch = createTwoFilesPatch(`${id}@${v1}`, `${id}@${v2}`, stringify(a.definition), stringify(b.definition), '', '', { context: 3 });
      const changed = patch.split('\n').some((l) => l.startsWith('@@'));
      if (ctx.out.json) return ctx.out.data({ id, from: v1, to: v2, changed, patch });
      if (!changed) return ctx.out.line(`${id}: versions ${v1} and ${v2} have the same definition`);
      for (const line of patch.split('\n').slice(1)) {
        if (line.startsWith('+') && !line.startsWith('+++')) ctx.out.line(ctx.out.c.green(line));
        else if (line.startsWith('-') && !line.startsWith('---')) ctx.out.line(ctx.out.c.red(line));
        else if (line.startsWith('@@')) ctx.out.line(ctx.out.c.cyan(line));
        else ctx.out.line(line);
      }
    });
}

function getVersion(api: ApiClient, id: string, version: number | undefined): Promise<FlowVersion> {
  const path = `/v1/flows/${encodeURIComponent(id)}${version === undefined ? '' : `/versions/${version}`}`;
  return api.get<FlowVersion>(path);
}

