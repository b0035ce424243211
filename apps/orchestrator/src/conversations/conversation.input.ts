import { z } from 'zod';

/** What creating a conversation and sending a message accept, over REST and gRPC alike. */
const userId = z.string().trim().min(1).max(200);

export const newConversationInput = z.object({
  flowId: z.string().trim().min(1).max(128).default('erp-assistant'),
  userId: userId.optional(),
  metadata: z.record(z.string(), z.unknown()).default({}),
});

export const newMessageInput = z.object({
  text: z.string().trim().min(1, 'is empty').max(8_000),
  userId: userId.optional(),
  locale: z.enum(['es', 'en']).optional(),
  timezone: z
    .string()
    .min(1)
    .max(64)
    .refine((tz) => tz === 'UTC' || Intl.supportedValuesOf('timeZone').includes(tz), 'is not an IANA time zone')
    .optional(),
});
