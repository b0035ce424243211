import { SpineError } from '@spine/contracts';
import { convert, type FormatCallback } from 'html-to-text';
import mammoth from 'mammoth';
import { lexer, type Token, type Tokens } from 'marked';
import { extractText, getDocumentProxy } from 'unpdf';

/** The formats the knowledge API reads, by the content type it is checked against. */
export const FORMATS = {
  'text/plain': 'text',
  'text/markdown': 'markdown',
  'text/x-markdown': 'markdown',
  'text/html': 'html',
  'application/pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
} as const;
export type Format = (typeof FORMATS)[keyof typeof FORMATS];

const BY_EXTENSION: Record<string, Format> = { txt: 'text', md: 'markdown', markdown: 'markdown', html: 'html', htm: 'html', pdf: 'pdf', docx: 'docx' };

/** The format of an upload: its declared content type, or its file name's extension when the type says nothing (octet-stream). */
export function formatOf(contentType: string, fileName: string): Format | undefined {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (type in FORMATS) return FORMATS[type as keyof typeof FORMATS];
  if (type && type !== 'application/octet-stream') return undefined;
  return BY_EXTENSION[fileName.toLowerCase().split('.').pop() ?? ''];
}

/**
 * The text of a document, with its headings as Markdown `#` lines (retrieval chunks by them).
 * Throws a SpineError saying what was wrong with the file when it cannot be read.
 */
export async function textOf(format: Format, body: Buffer): Promise<string> {
  try {
    switch (format) {
      case 'text':
        return body.toString('utf8');
      case 'markdown':
        return markdownText(body.toString('utf8'));
      case 'html':
        return htmlText(body.toString('utf8'));
      case 'pdf': {
        const pdf = await getDocumentProxy(new Uint8Array(body));
        const { text } = await extractText(pdf, { mergePages: false });
        return text.join('\n\n');
      }
      case 'docx':
        return htmlText((await mammoth.convertToHtml({ buffer: body })).value);
    }
  } catch (err) {
    throw SpineError.invalid(`could not read the ${format} file: ${(err as Error).message}`.slice(0, 500), { field: 'file' });
  }
}

/** Markdown to plain paragraphs, headings kept as `#` lines, through marked's lexer (no inline markup left in headings). */
function markdownText(source: string): string {
  const blocks: string[] = [];
  const walk = (tokens: readonly Token[]) => {
    for (const t of tokens) {
      if (t.type === 'heading') blocks.push(`${'#'.repeat((t as Tokens.Heading).depth)} ${(t as Tokens.Heading).text}`);
      else if (t.type === 'paragraph' || t.type === 'code' || t.type === 'text') blocks.push((t as Tokens.Paragraph).text);
      else if (t.type === 'list') blocks.push((t as Tokens.List).items.map((i) => `- ${i.text}`).join('\n'));
      else if (t.type === 'blockquote') walk((t as Tokens.Blockquote).tokens);
      else if (t.type === 'table') {
        const table = t as Tokens.Table;
        blocks.push([table.header, ...table.rows].map((row) => row.map((c) => c.text).join(' | ')).join('\n'));
      }
    }
  };
  walk(lexer(source));
  return blocks.join('\n\n');
}

/** A heading as a Markdown `#` line of its level. */
const heading: FormatCallback = (elem, walk, builder, options) => {
  builder.openBlock({ leadingLineBreaks: 2 });
  builder.addInline(`${'#'.repeat(Number((options as { level?: number }).level ?? 1))} `);
  walk(elem.children, builder);
  builder.closeBlock({ trailingLineBreaks: 2 });
};

function htmlText(html: string): string {
  return convert(html, {
    wordwrap: false,
    formatters: { heading },
    selectors: [
      ...[1, 2, 3, 4, 5, 6].map((level) => ({ selector: `h${level}`, format: 'heading', options: { level } })),
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'img', format: 'skip' },
    ],
  });
}
