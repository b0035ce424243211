import { Injectable, Logger } from '@nestjs/common';
import type { AgentHandler, InvokeContext } from '@spine/agent-kit';
import { SpineError, type IntakeInput, type IntakeInputSchema, type IntakeOutputSchema } from '@spine/contracts';
import type { MessageInitShape } from '@bufbuild/protobuf';
import { detectLanguage } from './language.js';
import { normalizeText } from './normalize.js';

export const MAX_TEXT_CHARS = 8_000;

/** Normalises the user's text, detects es/en and attaches tenant, user, roles and session. */
@Injectable()
export class IntakeHandler implements AgentHandler<typeof IntakeInputSchema, typeof IntakeOutputSchema> {
  private readonly logger = new Logger(IntakeHandler.name);

  handle(input: IntakeInput, ctx: InvokeContext): MessageInitShape<typeof IntakeOutputSchema> {
    const text = normalizeText(input.text);
    if (text.length === 0) throw SpineError.invalid('text is empty', { field: 'input.text' });
    if (text.length > MAX_TEXT_CHARS) throw SpineError.invalid(`text is longer than ${MAX_TEXT_CHARS} characters`, { field: 'input.text' });
    if (!ctx.tenantId) throw SpineError.invalid('tenant is required', { field: 'tenant_id' });
    const { language, confidence } = detectLanguage(text, input.localeHint);
    this.logger.debug({ msg: 'intake.normalized', language, chars: text.length });
    return {
      text,
      language,
      languageConfidence: confidence,
      tenantId: ctx.tenantId,
      userId: input.userId,
      roles: [...new Set(input.roles.map((r) => r.trim()).filter(Boolean))],
      sessionId: input.sessionId,
    };
  }
}
