import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Query, UploadedFile, UseGuards, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { SpineError } from '@spine/contracts';
import { boundedInt } from '@spine/observability';
import { z } from 'zod';
import { AuthGuard } from '../auth/auth.guard.js';
import { CurrentPrincipal, Roles, type Principal } from '../auth/principal.js';
import { parseBody } from '../http/parse-body.js';
import { checkId, DOCUMENT_ID, idFrom, jsonDocument, KNOWLEDGE_ROLES, MAX_UPLOAD_BYTES, metadataSchema, searchBody } from './knowledge.input.js';
import { formatOf } from './knowledge.parse.js';
import type { KnowledgeDocumentRow } from './knowledge.repository.js';
import { KnowledgeService, type ChunkView } from './knowledge.service.js';

const MAX_PAGE = 100;

const formFields = z.object({
  documentId: z.string().regex(DOCUMENT_ID).optional(),
  title: z.string().trim().min(1).max(300).optional(),
  language: z.enum(['es', 'en']).default('es'),
  metadata: z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (!s) return {};
      try {
        return metadataSchema.parse(JSON.parse(s));
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON object of strings' });
        return z.NEVER;
      }
    }),
});
interface UploadedPart {
  originalname: string;
  mimetype: string;
  size: number;
  buffer: Buffer;
}

export type DocumentView = Omit<KnowledgeDocumentRow, 'revision'> & { version: number };
const view = ({ revision, ...rest }: KnowledgeDocumentRow): DocumentView => ({ ...rest, version: revision });

/** Tenant knowledge for Cerebro (admin or knowledge-editor): documents in, their chunks, and the search the assistant runs. */
@ApiTags('knowledge')
@Controller('v1/knowledge')
@UseGuards(AuthGuard)
export class KnowledgeController {
  constructor(private readonly knowledge: KnowledgeService) {}

  @Post('documents')
  @HttpCode(202)
  @Roles(...KNOWLEDGE_ROLES)
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1 } }))
  @ApiOperation({ summary: 'Add or replace a document (multipart `file` of text, Markdown, HTML, PDF or .docx, or JSON {title, text, language, metadata, documentId}); indexed in the background' })
  async upload(@CurrentPrincipal() p: Principal, @Headers('content-type') contentType: string | undefined, @Body() body: unknown, @UploadedFile() file?: UploadedPart): Promise<{ document: DocumentView }> {
    if (file) {
      const fields = parseBody(formFields, body);
      const format = formatOf(file.mimetype, file.originalname);
      if (!format) throw SpineError.invalid(`cannot read ${file.mimetype}: send text, Markdown, HTML, PDF or .docx`, { field: 'file' });
      const row = await this.knowledge.submit(p.tenantId, {
        documentId: fields.documentId ?? idFrom(file.originalname),
        title: fields.title ?? file.originalname,
        language: fields.language,
        metadata: fields.metadata,
        contentType: file.mimetype,
        format,
        body: file.buffer,
      });
      return { document: view(row) };
    }
    if (!contentType?.startsWith('application/json')) throw SpineError.invalid('send multipart/form-data with a `file`, or application/json', { field: 'content-type' });
    const doc = parseBody(jsonDocument, body);
    const row = await this.knowledge.submit(p.tenantId, {
      documentId: doc.documentId ?? idFrom(doc.title),
      title: doc.title,
      language: doc.language,
      metadata: doc.metadata,
      contentType: 'text/markdown',
      format: 'markdown',
      body: Buffer.from(doc.text, 'utf8'),
    });
    return { document: view(row) };
  }

  @Get('documents')
  @Roles(...KNOWLEDGE_ROLES)
  @ApiOperation({ summary: "The tenant's documents by id; page with ?after=<documentId>&limit=, filter with ?status= and ?metadata.<key>=<value>" })
  async list(@CurrentPrincipal() p: Principal, @Query() query: Record<string, string | string[]>): Promise<{ documents: DocumentView[]; next: string | null }> {
    const one = (k: string) => (Array.isArray(query[k]) ? query[k][0] : query[k]);
    const limit = one('limit') === undefined ? 50 : boundedInt(one('limit')!, 'limit', { min: 1, max: MAX_PAGE });
    const status = one('status');
    if (status !== undefined && !['pending', 'indexed', 'failed'].includes(status)) throw SpineError.invalid('status must be pending, indexed or failed', { field: 'status' });
    const metadata = Object.fromEntries(Object.keys(query).filter((k) => k.startsWith('metadata.')).map((k) => [k.slice('metadata.'.length), one(k)!]));
    const rows = await this.knowledge.list(p.tenantId, { limit, metadata, ...(one('after') ? { after: one('after')! } : {}), ...(status ? { status: status as 'pending' } : {}) });
    return { documents: rows.map(view), next: rows.length === limit ? rows.at(-1)!.documentId : null };
  }

  @Get('documents/:id')
  @Roles(...KNOWLEDGE_ROLES)
  @ApiOperation({ summary: 'A document, its status and its chunks' })
  async get(@CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<{ document: DocumentView; chunks: ChunkView[] }> {
    const { document, chunks } = await this.knowledge.get(p.tenantId, checkId(id));
    return { document: view(document), chunks };
  }

  @Delete('documents/:id')
  @HttpCode(204)
  @Roles(...KNOWLEDGE_ROLES)
  @ApiOperation({ summary: 'Remove a document and its chunks' })
  async remove(@CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<void> {
    await this.knowledge.remove(p.tenantId, checkId(id));
  }

  @Post('reindex')
  @HttpCode(202)
  @Roles('admin')
  @ApiOperation({ summary: "Re-embed every document of the tenant (e.g. after an embedding model change): each goes pending and is indexed again in the background" })
  async reindex(@CurrentPrincipal() p: Principal): Promise<{ documents: number }> {
    return { documents: await this.knowledge.reindex(p.tenantId) };
  }

  @Post('search')
  @HttpCode(200)
  @Roles(...KNOWLEDGE_ROLES)
  @ApiOperation({ summary: 'The search the retrieval agent runs for a question (for debugging): snippets with scores and citations' })
  async search(@CurrentPrincipal() p: Principal, @Body() body: unknown): Promise<{ snippets: unknown[] }> {
    const q = parseBody(searchBody, body);
    return { snippets: (await this.knowledge.search(p.tenantId, q)).map(({ $typeName: _t, ...s }) => s) };
  }
}
