import { ErrorCode, SpineError } from '@spine/contracts';

/**
 * Why a wait (a human task, a child execution) stops without its node settling: the execution parked (it gave its
 * lease and executor slot back; whoever claims it next waits again). Unlike a cancel, the task stays open and the
 * child keeps running.
 */
export function parkedError(): SpineError {
  return new SpineError(ErrorCode.CANCELLED, 'the execution parked while this node waits', { reason: 'parked' }, false);
}

export function isParked(reason: unknown): boolean {
  return reason instanceof SpineError && reason.details['reason'] === 'parked';
}
