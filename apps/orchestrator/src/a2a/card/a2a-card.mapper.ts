import { SpineError } from '@spine/contracts';
import { z } from 'zod';

/** Labels an imported A2A agent carries: where its card is (the registry probes it) and the protocol version to speak. */
export const A2A_LABELS = { cardUrl: 'a2a.card-url', protocolVersion: 'a2a.protocol-version' } as const;

const skill = z.looseObject({ id: z.string().min(1), name: z.string().optional(), description: z.string().optional(), tags: z.array(z.string()).optional() });
const agentInterface = z.looseObject({ url: z.string().min(1), protocolBinding: z.string().optional(), transport: z.string().optional(), protocolVersion: z.string().optional() });

/** The parts of an A2A card (1.0 `supportedInterfaces`, or 0.3 `url` + `preferredTransport` + `additionalInterfaces`) an import reads. */
const a2aCard = z.looseObject({
  name: z.string().min(1).max(256),
  description: z.string().max(65_536).optional(),
  version: z.string().max(64).optional(),
  protocolVersion: z.string().optional(),
  url: z.string().optional(),
  preferredTransport: z.string().optional(),
  supportedInterfaces: z.array(agentInterface).optional(),
  additionalInterfaces: z.array(agentInterface).optional(),
  skills: z.array(skill).max(256).default([]),
});

export interface ImportOptions {
  /** The Spine name to register under; default: derived from the card's name. */
  name?: string | undefined;
  timeoutMs?: number | undefined;
  retry?: { maxAttempts: number } | undefined;
}

/** A Spine card body (as POST /v1/agents takes it, transport aside) for an A2A agent card. */
export interface MappedA2aCard {
  name: string;
  version: string;
  description: string;
  endpoint: string;
  capabilities: string[];
  inputSchema: Record<string, unknown>;
  outputSchema: Record<string, unknown>;
  timeoutMs: number;
  retry?: { maxAttempts: number };
  labels: Record<string, string>;
}

/** `"Currency Agent!"` → `currency-agent`; prefixed so it starts with a letter. */
export function slugOf(text: string, max: number, allowed = /[^a-z0-9-]+/g): string {
  const slug = text.toLowerCase().replace(allowed, '-').replace(/-+/g, '-').replace(/^-+|-+$/g, '');
  const lettered = /^[a-z]/.test(slug) ? slug : `a2a-${slug}`.replace(/-+$/, '');
  return lettered.slice(0, max).replace(/-+$/, '');
}

/** `1` → `1.0.0`, `2.1` → `2.1.0`; anything else that is not semver → `0.0.0`. */
export function semverOf(version: string | undefined): string {
  if (version && /^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$/.test(version)) return version;
  const match = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(version ?? '');
  return match ? `${match[1]}.${match[2] ?? 0}.${match[3] ?? 0}` : '0.0.0';
}

/** The JSON-RPC interface of the card and the A2A version it speaks; 1.0 preferred. */
export function jsonRpcInterfaceOf(card: z.infer<typeof a2aCard>): { url: string; protocolVersion: string } | undefined {
  const candidates = [
    ...(card.supportedInterfaces ?? []).map((i) => ({ url: i.url, binding: i.protocolBinding ?? i.transport, version: i.protocolVersion ?? '1.0' })),
    ...(card.url ? [{ url: card.url, binding: card.preferredTransport ?? 'JSONRPC', version: card.protocolVersion ?? '0.3' }] : []),
    ...(card.additionalInterfaces ?? []).map((i) => ({ url: i.url, binding: i.transport ?? i.protocolBinding, version: card.protocolVersion ?? '0.3' })),
  ].filter((c) => (c.binding ?? '').toUpperCase() === 'JSONRPC');
  const best = candidates.find((c) => c.version.startsWith('1.')) ?? candidates[0];
  return best ? { url: best.url, protocolVersion: best.version } : undefined;
}

/**
 * An A2A agent card as a Spine agent: the name from the card (or the caller's), skills → capabilities (their ids,
 * slugged), the JSON-RPC interface's URL as the endpoint, and open object schemas (A2A cards declare none): the node
 * input goes out as a data part, the reply comes back as an object (`{ text }` for a text-only reply).
 */
export function spineCardOfA2a(raw: unknown, cardUrl: string, options: ImportOptions = {}): MappedA2aCard {
  const parsed = a2aCard.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw SpineError.invalid(`not an A2A agent card: ${issue?.path.join('.') || 'card'} ${issue?.message ?? 'is invalid'}`, { field: 'url', reason: 'not-a2a-card' });
  }
  const card = parsed.data;
  const rpc = jsonRpcInterfaceOf(card);
  if (!rpc) throw SpineError.invalid('the A2A agent card has no JSON-RPC interface; Spine calls A2A agents over JSON-RPC', { field: 'url', reason: 'no-jsonrpc' });
  const capabilities = [...new Set(card.skills.map((s) => slugOf(s.id, 64, /[^a-z0-9._-]+/g)).filter(Boolean))].slice(0, 64);
  const skills = card.skills.map((s) => `- ${s.name ?? s.id}${s.description ? `: ${s.description}` : ''}`).join('\n');
  const description = [card.description ?? '', skills ? `Skills:\n${skills}` : ''].filter(Boolean).join('\n\n').slice(0, 4_096);
  return {
    name: options.name ?? slugOf(card.name, 63),
    version: semverOf(card.version),
    description,
    endpoint: rpc.url,
    capabilities,
    inputSchema: { type: 'object' },
    outputSchema: { type: 'object' },
    timeoutMs: options.timeoutMs ?? 30_000,
    ...(options.retry ? { retry: options.retry } : {}),
    labels: { [A2A_LABELS.cardUrl]: cardUrl.slice(0, 256), [A2A_LABELS.protocolVersion]: rpc.protocolVersion.slice(0, 16) },
  };
}
