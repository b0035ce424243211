import { isMessage, toBinary, type Message, type Registry } from '@bufbuild/protobuf';
import { connect, type Msg, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import type { CustomTransportStrategy, MessageHandler } from '@nestjs/microservices';
import { Server } from '@nestjs/microservices';
import { closeNats } from './nats-connect.js';
import { ErrorCode, SpineError, spineRegistry } from '@spine/contracts';
import { backgroundFailure, runInScope } from '@spine/observability';
import { lastValueFrom } from 'rxjs';
import { callContextOf, NatsProtoContext, type CallContext } from './call-context.js';
import { replyWithError } from './error-reply.js';
import { traceIdOf } from './trace.js';

export interface NatsProtoServerOptions {
  /** NATS URL(s); ignored when `connection` is given. */
  servers?: string | string[];
  /** An open connection to reuse (the server then does not close it). */
  connection?: NatsConnection;
  /** Connection name shown by the NATS server. */
  name: string;
  /** Queue group for every subscription, so replicas share the load. */
  queue?: string;
  /** Message types a handler may return; defaults to every Spine type. */
  registry?: Registry;
}

/**
 * A Nest microservice transport: protobuf bytes over NATS request/reply.
 * Handlers get the raw payload (decode it with ProtoPipe) and return a protobuf message or bytes.
 * Deadlines from the `spine-deadline` header are honoured: an expired request is answered
 * DEADLINE_EXCEEDED without running the handler, and a running handler's signal aborts on expiry.
 */
export class NatsProtoServer extends Server implements CustomTransportStrategy {
  private nc?: NatsConnection;
  private readonly subscriptions: Subscription[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly registry: Registry;

  constructor(private readonly options: NatsProtoServerOptions) {
    super();
    this.registry = options.registry ?? spineRegistry;
  }

  async listen(callback: (err?: unknown) => void): Promise<void> {
    try {
      this.nc = this.options.connection ?? (await connect({ servers: this.options.servers, name: this.options.name }));
      for (const [subject, handler] of this.messageHandlers) this.subscribe(this.nc, subject, handler);
      // The server has our subscriptions once a flush round-trips: only then is the app "listening".
      await this.nc.flush();
      callback();
    } catch (err) {
      callback(err);
    }
  }

  /** Requests being handled right now. */
  get inFlightCount(): number {
    return this.inFlight.size;
  }

  get connection(): NatsConnection | undefined {
    return this.nc;
  }

  /** Stops taking requests, lets the ones in flight finish (up to graceMs), keeps the connection open. */
  async drain(graceMs = 10_000): Promise<void> {
    await Promise.all(this.subscriptions.splice(0).map((s) => s.drain().catch(backgroundFailure(this.logger, 'nats.drain_subscription', { subject: s.getSubject() }))));
    const pending = Promise.allSettled([...this.inFlight]);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([pending, timeout]);
    clearTimeout(timer);
  }

  async close(): Promise<void> {
    await this.drain();
    if (this.nc && !this.options.connection) await closeNats(this.nc);
  }

  on(): never {
    throw new Error('NatsProtoServer does not support event listeners');
  }

  unwrap<T>(): T {
    if (!this.nc) throw new Error('NatsProtoServer is not listening');
    return this.nc as T;
  }

  private subscribe(nc: NatsConnection, subject: string, handler: MessageHandler): void {
    const sub = nc.subscribe(subject, {
      queue: this.options.queue,
      callback: (err, msg) => {
        if (err) {
          this.logger.error({ msg: 'nats.subscription_error', subject, err });
          return;
        }
        const done = this.dispatch(msg, handler).finally(() => this.inFlight.delete(done));
        this.inFlight.add(done);
      },
    });
    this.subscriptions.push(sub);
  }

  private async dispatch(msg: Msg, handler: MessageHandler): Promise<void> {
    const abort = new AbortController();
    const call = callContextOf(msg.subject, msg.headers, abort.signal);
    const scope = { correlationId: call.correlationId, traceId: traceIdOf(call.traceparent), traceparent: call.traceparent, tenantId: call.tenantId };
    await runInScope(scope, () => (handler.isEventHandler ? this.runEvent(msg, call, handler) : this.runRequest(msg, call, handler, abort)));
  }

  private async runEvent(msg: Msg, call: CallContext, handler: MessageHandler): Promise<void> {
    try {
      await lastValueFrom(this.transformToObservable(await handler(msg.data, new NatsProtoContext([call]))), { defaultValue: undefined });
    } catch (err) {
      this.logger.warn({ msg: 'nats.event_failed', subject: msg.subject, err: SpineError.from(err).message });
    }
  }

  private async runRequest(msg: Msg, call: CallContext, handler: MessageHandler, abort: AbortController): Promise<void> {
    const remaining = call.deadline === undefined ? undefined : call.deadline - Date.now();
    if (remaining !== undefined && remaining <= 0) {
      replyWithError(msg, new SpineError(ErrorCode.DEADLINE_EXCEEDED, 'deadline passed before the request was handled'));
      return;
    }
    const timer = remaining === undefined ? undefined : setTimeout(() => abort.abort(), remaining);
    try {
      const result = await lastValueFrom(this.transformToObservable(await handler(msg.data, new NatsProtoContext([call]))), { defaultValue: undefined });
      if (abort.signal.aborted) throw new SpineError(ErrorCode.DEADLINE_EXCEEDED, 'deadline passed while the request was handled');
      msg.respond(this.encode(result));
    } catch (err) {
      replyWithError(msg, SpineError.from(err));
    } finally {
      clearTimeout(timer);
    }
  }

  private encode(result: unknown): Uint8Array {
    if (result instanceof Uint8Array) return result;
    if (isMessage(result)) {
      const schema = this.registry.getMessage((result as Message).$typeName);
      if (schema) return toBinary(schema, result);
    }
    throw new SpineError(ErrorCode.INTERNAL, 'handler returned something that is not a registered protobuf message');
  }
}
