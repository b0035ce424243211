/**
 * The DI token of an app's one NATS connection (a `NatsConnection`, opened by `connectNats` before Nest starts and
 * provided with `{ provide: NATS_CONNECTION, useValue: connection }`). Every app and lib injects it with this token.
 */
export const NATS_CONNECTION = Symbol('spine.nats');
