import { SpineError } from '@spine/contracts';
import { z } from 'zod';
import type { Role } from '../auth/principal.js';

// What the knowledge API accepts, the same over HTTP and gRPC.

export const DOCUMENT_ID = /^[A-Za-z0-9._:-]{1,128}$/;
/** Who may use the knowledge API: admins, and knowledge editors (who may do nothing else an admin may). */
export const KNOWLEDGE_ROLES: readonly Role[] = ['admin', 'knowledge-editor'];
/** Upload size limit (multipart); JSON bodies are held to MAX_BODY_BYTES by the body parser. */
export const MAX_UPLOAD_BYTES = Number(process.env['KNOWLEDGE_MAX_UPLOAD_BYTES'] ?? 10 * 1024 * 1024);
export const DOCUMENT_STATUSES = ['pending', 'indexed', 'failed'] as const;

export const metadataSchema = z.record(z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/), z.string().max(512)).refine((m) => Object.keys(m).length <= 32, 'at most 32 keys');
export const jsonDocument = z.object({
  documentId: z.string().regex(DOCUMENT_ID).optional(),
  title: z.string().trim().min(1).max(300),
  text: z.string().min(1),
  language: z.enum(['es', 'en']).default('es'),
  metadata: metadataSchema.default({}),
});
export const searchBody = z.object({
  query: z.string().trim().min(1).max(2000),
  limit: z.number().int().min(1).max(20).default(5),
  filter: z.record(z.string(), z.string()).default({}),
  /** Whose execution summaries the search may see (as the assistant sees them for that user); none without it. */
  userId: z.string().trim().min(1).max(200).optional(),
});

export function checkId(id: string): string {
  if (!DOCUMENT_ID.test(id)) throw SpineError.invalid("a document id is 1-128 letters, digits, '.', '_', ':' or '-'", { field: 'id' });
  return id;
}

/** A document id from a file name or title when none is given: the same name gives the same id, so posting it again replaces it. */
export function idFrom(name: string): string {
  return (
    name
      .normalize('NFKD')
      .replace(/[^\w.:-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 128) || 'document'
  );
}
