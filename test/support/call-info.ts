// The CallInfo of a plain call (nothing asked for, nothing transferred), for snapshot fixtures.
import type { CallInfo } from '../../src-renderer/src/lib/phone/types';

export const PLAIN_CALL_INFO: CallInfo = {
  anonymous: false,
  autoAnswerAfterS: null,
  replacesCallId: null,
  transferredBy: null,
  extension: null,
};
