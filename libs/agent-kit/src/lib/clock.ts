import { Injectable } from '@nestjs/common';

/** The time, behind an injectable so rules about "the past" are testable. */
export abstract class Clock {
  abstract now(): Date;
}

@Injectable()
export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}
