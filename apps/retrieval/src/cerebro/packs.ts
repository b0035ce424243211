import { create } from '@bufbuild/protobuf';
import { DocumentSchema, SpineError, type Document } from '@spine/contracts';
import { callableTools } from '@spine/tool-catalog';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';

// Packs ship beside src/ and dist/: apps/retrieval/packs/<name>/*.md with a YAML front matter.
const PACKS_DIR = join(import.meta.dirname, '..', '..', 'packs');
const PACK_NAME = /^[a-z0-9-]{1,64}$/;

/** The documents of a shipped pack: its markdown notes plus the API contract of every ERP tool. */
export async function loadPack(name: string): Promise<Document[]> {
  if (!PACK_NAME.test(name)) throw SpineError.invalid(`invalid pack name ${JSON.stringify(name)}`, { field: 'input.ingest_pack' });
  let files: string[];
  try {
    files = (await readdir(join(PACKS_DIR, name))).filter((f) => f.endsWith('.md')).sort();
  } catch {
    throw SpineError.notFound(`no pack named ${name}`, { field: 'input.ingest_pack' });
  }
  const notes = await Promise.all(files.map(async (f) => noteOf(await readFile(join(PACKS_DIR, name, f), 'utf8'), f)));
  return [...notes, ...toolContracts()];
}

function noteOf(source: string, file: string): Document {
  const match = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(source);
  if (!match) throw new Error(`pack file ${file} has no front matter`);
  const meta = parse(match[1]!) as Record<string, string | number>;
  return create(DocumentSchema, {
    id: String(meta.id),
    title: String(meta.title),
    version: String(meta.version),
    kind: String(meta.kind),
    language: String(meta.language),
    text: match[2]!.trim(),
    metadata: { source: file },
  });
}

function toolContracts(): Document[] {
  return callableTools.map((t) =>
    create(DocumentSchema, {
      id: `api-${t.name}`,
      title: `Tool ${t.name}`,
      version: '1',
      kind: 'api-contract',
      language: 'en',
      text: `${t.name}: ${t.description}\n\nRoles: ${t.roles.join(', ')}. Changes data: ${t.writes ? 'yes' : 'no'}.\n\nArguments (JSON Schema): ${JSON.stringify(t.parameters)}`,
      metadata: { tool: t.name },
    }),
  );
}
