import { create, toBinary } from '@bufbuild/protobuf';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { ChunkKind, StreamChunkSchema, streams, subjects } from '@spine/contracts';
import { ensureStream, NATS_CONNECTION, publishOnce } from '@spine/messaging';

/**
 * Publishes reply chunks (the streamer's, the llm agent's) to JetStream, numbered from 1. The message id is execution, node and
 * sequence, so a retried node republishing the same chunks stores each of them once.
 */
@Injectable()
export class ChunkPublisher implements OnApplicationBootstrap {

  constructor(@Inject(NATS_CONNECTION) private readonly nc: NatsConnection) {}

  async onApplicationBootstrap(): Promise<void> {
    await ensureStream(await jetstreamManager(this.nc), streams.executionStreams);
  }

  async publish(c: { tenantId: string; executionId: string; nodeId: string; sequence: number; kind: ChunkKind; text: string; final: boolean }): Promise<void> {
    const chunk = create(StreamChunkSchema, { executionId: c.executionId, tenantId: c.tenantId, sequence: BigInt(c.sequence), kind: c.kind, text: c.text, final: c.final });
    await publishOnce(this.nc, subjects.executionStream(c.tenantId, c.executionId), toBinary(StreamChunkSchema, chunk), `${c.executionId}:${c.nodeId}:${c.sequence}`);
  }
}
