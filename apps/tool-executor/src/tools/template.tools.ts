import { Injectable } from '@nestjs/common';
import { iso, str, type ToolArgs, type ToolCallContext, type ToolOutput } from './tool-call.js';
import { closest, ToolFailure } from './tool-failure.js';
import { SentMessagesRepository } from './sent-messages.repository.js';

type Language = 'es' | 'en';

/** The message templates `send_template` knows, by id and language; `{{name}}` is a variable. */
export const MESSAGE_TEMPLATES: Readonly<Record<string, Readonly<Record<Language, string>>>> = {
  'complaint-acknowledgment': {
    es: 'Hola {{name}}, hemos recibido tu queja y la estamos revisando. Te responderemos en menos de 24 horas.',
    en: 'Hi {{name}}, we have received your complaint and are looking into it. We will answer within 24 hours.',
  },
  'question-received': {
    es: 'Hola {{name}}, gracias por tu pregunta. Un compañero te responderá en breve.',
    en: 'Hi {{name}}, thank you for your question. A colleague will answer shortly.',
  },
};

const PLACEHOLDER = /\{\{\s*([A-Za-z_][\w-]*)\s*\}\}/g;

/** The variables a template needs, in order of first use. */
export function templateVariables(body: string): string[] {
  return [...new Set([...body.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

/** `send_template`: renders one of the templates and sends it (a row in erp.sent_messages, in the call's transaction). */
@Injectable()
export class TemplateTools {
  constructor(private readonly sent: SentMessagesRepository) {}

  async sendTemplate(args: ToolArgs, c: ToolCallContext): Promise<ToolOutput> {
    const templateId = str(args, 'templateId')!;
    const language: Language = str(args, 'language') === 'en' ? 'en' : str(args, 'language') === 'es' ? 'es' : c.locale;
    const es = c.locale === 'es';
    const template = MESSAGE_TEMPLATES[templateId];
    if (!template) {
      const known = closest(Object.keys(MESSAGE_TEMPLATES), templateId);
      throw new ToolFailure('NOT_FOUND', es ? `no existe la plantilla «${templateId}»` : `there is no template "${templateId}"`, es ? `Plantillas parecidas: ${known.join(', ')}.` : `Close templates: ${known.join(', ')}.`, 'templateId');
    }
    const variables = (args['variables'] ?? {}) as Record<string, string>;
    const missing = templateVariables(template[language]).filter((v) => !variables[v]?.trim());
    if (missing.length > 0) {
      const list = missing.join(', ');
      throw new ToolFailure('INVALID_ARGUMENT', es ? `a la plantilla «${templateId}» le falta: ${list}` : `template "${templateId}" needs: ${list}`, es ? `Da un valor a ${list} en variables.` : `Give ${list} a value in variables.`, `variables.${missing[0]!}`);
    }
    const body = template[language].replace(PLACEHOLDER, (_, name: string) => variables[name]!);
    const recipient = str(args, 'to') ?? c.userId;
    const messageId = await this.sent.insert(c.db, { tenantId: c.tenantId, templateId, language, recipient, body, sentBy: c.userId, sentAt: c.now });
    return { messageId, templateId, language, to: recipient, text: body, sentAt: iso(c.now) };
  }
}
