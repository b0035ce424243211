import { headers as natsHeaders, type Msg, type MsgHdrs } from '@nats-io/transport-node';
import { Header, SpineError, errorCodeName, errorCodeOf, httpStatusOf, ErrorCode } from '@spine/contracts';

/** Error replies carry the coded protobuf Error as body and the code in headers (nats.js service conventions). */
export function errorHeaders(error: SpineError): MsgHdrs {
  const h = natsHeaders();
  h.set(Header.ErrorCode, errorCodeName(error.code));
  h.set(Header.NatsServiceErrorCode, String(httpStatusOf(error.code)));
  h.set(Header.NatsServiceError, error.message.replace(/[\r\n]+/g, ' ').slice(0, 512));
  return h;
}

export function replyWithError(msg: Msg, error: SpineError): void {
  if (msg.reply) msg.respond(error.toBinary(), { headers: errorHeaders(error) });
}

/** The SpineError carried by a reply, or undefined for a success reply. */
export function errorOfReply(reply: Msg): SpineError | undefined {
  const name = reply.headers?.get(Header.ErrorCode);
  if (!name) return undefined;
  try {
    return SpineError.fromBinary(reply.data);
  } catch {
    const message = reply.headers?.get(Header.NatsServiceError) ?? 'error reply without a readable body';
    return new SpineError(errorCodeOf(name) ?? ErrorCode.INTERNAL, message);
  }
}
