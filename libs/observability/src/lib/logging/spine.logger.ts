import type { LoggerService, LogLevel } from '@nestjs/common';
import pino, { type Logger as Pino } from 'pino';
import { currentScope } from './call-scope.js';

export type LevelName = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

export interface LoggerOptions {
  service: string;
  level?: LevelName;
  /** Where lines go; stdout unless a test wants them. */
  destination?: pino.DestinationStream;
}

/** The root pino logger of a process: JSON lines with service, context and call-scope ids. */
export function createRootLogger(options: LoggerOptions): Pino {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: options.service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => {
        const { traceparent: _traceparent, ...ids } = currentScope() ?? {};
        return ids;
      },
    },
    options.destination ?? pino.destination({ sync: false }),
  );
}

type Fields = Record<string, unknown>;

function split(message: unknown): Fields {
  if (message instanceof Error) return { msg: message.message, err: message };
  if (typeof message === 'object' && message !== null) return { ...(message as Fields) };
  return { msg: String(message) };
}

/**
 * Nest's LoggerService backed by pino: `new Logger(MyService.name)` anywhere in a Nest app
 * writes one JSON line with `context: 'MyService'` and the ids of the current call.
 */
export class SpineLogger implements LoggerService {
  constructor(readonly pino: Pino) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    // Nest passes (message, stack, context); keep the stack as a field.
    const [stack, ...rest] = params.length > 1 ? params : [undefined, ...params];
    const fields = split(message);
    if (typeof stack === 'string' && fields.stack === undefined) fields.stack = stack;
    this.emit('error', fields, rest);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  setLogLevels(levels: LogLevel[]): void {
    const order: [LogLevel, LevelName][] = [['verbose', 'trace'], ['debug', 'debug'], ['log', 'info'], ['warn', 'warn'], ['error', 'error'], ['fatal', 'fatal']];
    const lowest = order.find(([nest]) => levels.includes(nest));
    if (lowest) this.pino.level = lowest[1];
  }

  private write(level: LevelName, message: unknown, params: unknown[]): void {
    this.emit(level, split(message), params);
  }

  private emit(level: LevelName, fields: Fields, params: unknown[]): void {
    const context = params.length > 0 ? params[params.length - 1] : undefined;
    if (typeof context === 'string') fields.context = context;
    const { msg, ...rest } = fields;
    this.pino[level](rest, typeof msg === 'string' ? msg : undefined);
  }
}
