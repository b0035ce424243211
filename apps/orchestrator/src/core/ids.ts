import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';

/** Id generation behind an injectable (message ids, A2A message ids), so tests can make them predictable. */
export abstract class Ids {
  abstract uuid(): string;
}

@Injectable()
export class RandomIds extends Ids {
  uuid(): string {
    return randomUUID();
  }
}
