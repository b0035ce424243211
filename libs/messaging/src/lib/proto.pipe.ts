import { fromBinary, type DescMessage, type MessageShape } from '@bufbuild/protobuf';
import type { PipeTransform } from '@nestjs/common';
import { SpineError } from '@spine/contracts';

/** Decodes the raw NATS payload into a typed message; bad bytes become INVALID_ARGUMENT. */
export class ProtoPipe<Desc extends DescMessage> implements PipeTransform<unknown, MessageShape<Desc>> {
  constructor(private readonly schema: Desc) {}

  transform(value: unknown): MessageShape<Desc> {
    if (!(value instanceof Uint8Array)) {
      throw SpineError.invalid(`expected protobuf bytes of ${this.schema.typeName}`);
    }
    try {
      return fromBinary(this.schema, value);
    } catch (err) {
      throw SpineError.invalid(`payload is not a valid ${this.schema.typeName}: ${(err as Error).message}`, {
        type: this.schema.typeName,
      });
    }
  }
}
