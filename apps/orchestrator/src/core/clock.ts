import { Injectable } from '@nestjs/common';

/** The time, behind an injectable so that services never read the clock inline and tests can fix it. */
export abstract class Clock {
  abstract now(): Date;
  /** Milliseconds since the epoch (deadlines, durations). */
  abstract nowMs(): number;
}

@Injectable()
export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }

  nowMs(): number {
    return Date.now();
  }
}
