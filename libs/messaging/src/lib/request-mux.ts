import { createInbox, errors, type Msg, type MsgHdrs, type NatsConnection } from '@nats-io/transport-node';

interface Pending {
  resolve: (msg: Msg) => void;
  reject: (err: unknown) => void;
  timer: NodeJS.Timeout;
}

/**
 * Request/reply through one wildcard inbox subscription per connection, the way nats.js does it, without what nats.js
 * spends per request: it builds an Error (a stack trace) in `RequestOne.cancel()` for every request that succeeds,
 * `noAsyncTraces` or not, which was 5–7% of the orchestrator's busy time (an agent call and a JetStream publish are
 * each a request). Failures reject with the errors nats.js uses (TimeoutError, NoRespondersError,
 * ClosedConnectionError), so callers map them as before.
 */
export class RequestMux {
  private static readonly byConnection = new WeakMap<NatsConnection, RequestMux>();
  private readonly prefix = createInbox();
  private readonly pending = new Map<string, Pending>();
  private next = 0;

  static of(nc: NatsConnection): RequestMux {
    let mux = RequestMux.byConnection.get(nc);
    if (!mux) RequestMux.byConnection.set(nc, (mux = new RequestMux(nc)));
    return mux;
  }

  private constructor(private readonly nc: NatsConnection) {
    nc.subscribe(`${this.prefix}.*`, { callback: (err, msg) => (err ? this.failAll(err) : this.settle(msg)) });
    void nc.closed().then(() => this.failAll(new errors.ClosedConnectionError()));
  }

  request(subject: string, data: Uint8Array, options: { timeoutMs: number; headers?: MsgHdrs }): Promise<Msg> {
    if (this.nc.isClosed()) return Promise.reject(new errors.ClosedConnectionError());
    const token = (this.next++).toString(36);
    return new Promise<Msg>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(token);
        reject(new errors.TimeoutError());
      }, options.timeoutMs);
      this.pending.set(token, { resolve, reject, timer });
      try {
        this.nc.publish(subject, data, { reply: `${this.prefix}.${token}`, ...(options.headers ? { headers: options.headers } : {}) });
      } catch (err) {
        this.drop(token)?.reject(err);
      }
    });
  }

  /** Requests waiting for a reply. */
  get waiting(): number {
    return this.pending.size;
  }

  private settle(msg: Msg): void {
    const request = this.drop(msg.subject.slice(this.prefix.length + 1));
    if (!request) return; // late: it timed out
    // The server answers a request nobody is subscribed to with an empty 503 status message.
    if (msg.data.length === 0 && msg.headers?.code === 503) request.reject(new errors.NoRespondersError(msg.subject));
    else request.resolve(msg);
  }

  private drop(token: string): Pending | undefined {
    const request = this.pending.get(token);
    if (!request) return undefined;
    this.pending.delete(token);
    clearTimeout(request.timer);
    return request;
  }

  private failAll(err: unknown): void {
    for (const token of [...this.pending.keys()]) this.drop(token)?.reject(err);
  }
}
