import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import type { ApiClient } from '../api/client.js';
import { CliError, EXIT } from '../api/errors.js';
import type { ContextFactory } from '../context.js';
import { jsonArgument, readText } from '../input/documents.js';
import { field, listOf, truncate } from '../output/records.js';
import { examples, positiveInt } from './help.js';

/** Files the server parses itself (uploaded as they are); anything else is read as text and sent as JSON. */
const BINARY_TYPES: Record<string, string> = {
  '.pdf': 'application/pdf',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

interface AddOptions {
  title?: string;
  id?: string;
  language?: string;
  metadata?: string;
}

/** POST /v1/knowledge/documents: text as JSON `{ title, text, … }`; PDF and .docx uploaded as multipart `file` with the fields beside it. */
function addDocument(api: ApiClient, file: string, opts: AddOptions, metadata: unknown): Promise<unknown> {
  const fields = { title: opts.title ?? basename(file), ...(opts.id ? { documentId: opts.id } : {}), ...(opts.language ? { language: opts.language } : {}) };
  const binary = BINARY_TYPES[extname(file).toLowerCase()];
  if (binary) {
    const form = new FormData();
    form.set('file', new Blob([readFileSync(file)], { type: binary }), basename(file));
    for (const [k, v] of Object.entries({ ...fields, ...(metadata ? { metadata: JSON.stringify(metadata) } : {}) })) form.set(k, v);
    return api.request<unknown>('POST', '/v1/knowledge/documents', { form });
  }
  return api.post<unknown>('/v1/knowledge/documents', { ...fields, text: readText(file), ...(metadata ? { metadata } : {}) });
}

export function knowledgeCommand(ctxOf: ContextFactory): Command {
  const knowledge = new Command('knowledge').description("your tenant's documents in Cerebro, the knowledge base flows retrieve from");

  knowledge
    .command('add')
    .description('add (or, with the same --id, replace) documents: text, Markdown, HTML as text; PDF and .docx uploaded as they are')
    .argument('<files...>', 'documents')
    .option('--title <title>', 'title (default: the file name; only with one file)')
    .option('--id <documentId>', 'a stable id: adding again with it replaces the document (only with one file)')
    .option('--language <lang>', 'es or en (default: detected)')
    .option('--metadata <json>', 'metadata to filter on, JSON or @file')
    .addHelpText('after', examples(['spine knowledge add docs/*.md --metadata \'{"team":"support"}\'', 'spine knowledge add precios.pdf --id precios --title "Precios 2026"']))
    .action(async (files: string[], opts: AddOptions, cmd: Command) => {
      const ctx = ctxOf(cmd);
      if (files.length > 1 && (opts.title || opts.id)) throw new CliError('--title and --id name one document: give one file', { code: 'BAD_INPUT', exitCode: EXIT.usage });
      const api = ctx.api();
      const metadata = opts.metadata ? jsonArgument(opts.metadata, '--metadata') : undefined;
      const added: unknown[] = [];
      for (const file of files) {
        const res = ((await addDocument(api, file, opts, metadata)) ?? {}) as Record<string, unknown>;
        added.push(res);
        if (!ctx.out.json) ctx.out.line(`${ctx.out.c.green('added')} ${file} ${ctx.out.c.dim(field(res, 'documentId', 'id'))} ${field(res, 'status')}`.trimEnd());
      }
      if (ctx.out.json) ctx.out.data({ documents: added });
    });

  knowledge
    .command('list')
    .description("your tenant's documents")
    .addHelpText('after', examples(['spine knowledge list', 'spine knowledge list --json']))
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = ctxOf(cmd);
      const res = await ctx.api().get<unknown>('/v1/knowledge/documents');
      if (ctx.out.json) return ctx.out.data(res);
      const docs = listOf(res, 'documents', 'items');
      if (docs.length === 0) return ctx.out.note('no documents: spine knowledge add FILE');
      ctx.out.table(['ID', 'TITLE', 'LANGUAGE', 'STATUS', 'UPDATED'], docs.map((d) => [field(d, 'documentId', 'id'), truncate(field(d, 'title'), 50), field(d, 'language'), field(d, 'status'), field(d, 'updatedAt', 'createdAt')]));
    });

  knowledge
    .command('rm')
    .alias('remove')
    .description('remove a document and its chunks')
    .argument('<id>', 'document id')
    .addHelpText('after', examples(['spine knowledge rm precios']))
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const ctx = ctxOf(cmd);
      await ctx.api().request('DELETE', `/v1/knowledge/documents/${encodeURIComponent(id)}`);
      if (ctx.out.json) return ctx.out.data({ documentId: id, removed: true });
      ctx.out.line(`removed ${id}`);
    });

  knowledge
    .command('search')
    .description('run the query the retrieval agent would run: the snippets it finds, with scores')
    .argument('<query>', 'what to look for')
    .option('--limit <n>', 'at most this many snippets', positiveInt, 5)
    .option('--user <userId>', "also this user's execution summaries (memory), as the assistant sees them for that user")
    .addHelpText('after', examples(['spine knowledge search "¿cuánto cuesta el plan Pro?"', 'spine knowledge search refund --limit 3 --json', 'spine knowledge search "what did I do yesterday?" --user u-ana']))
    .action(async (query: string, opts: { limit: number; user?: string }, cmd: Command) => {
      const ctx = ctxOf(cmd);
      const res = await ctx.api().post<unknown>('/v1/knowledge/search', { query, limit: opts.limit, ...(opts.user ? { userId: opts.user } : {}) });
      if (ctx.out.json) return ctx.out.data(res);
      const hits = listOf(res, 'snippets', 'results', 'hits');
      if (hits.length === 0) return ctx.out.note('nothing found');
      for (const h of hits) {
        const score = Number(field(h, 'score'));
        ctx.out.line(`${ctx.out.c.bold(Number.isFinite(score) ? score.toFixed(3) : '')} ${field(h, 'title', 'documentId')} ${ctx.out.c.dim(field(h, 'documentId', 'document', 'id'))}`);
        ctx.out.line(`  ${truncate(field(h, 'text', 'content', 'snippet'), 200)}`);
      }
    });

  knowledge
    .command('reindex')
    .description("embed every document of your tenant again (admin), e.g. after the embedding model changed; indexing runs in the background")
    .addHelpText('after', examples(['spine knowledge reindex', 'spine knowledge list   # each document goes pending, then indexed']))
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = ctxOf(cmd);
      const res = await ctx.api().post<Record<string, unknown>>('/v1/knowledge/reindex', {});
      if (ctx.out.json) return ctx.out.data(res);
      ctx.out.line(`reindexing ${field(res, 'documents')} documents`);
    });

  return knowledge;
}
