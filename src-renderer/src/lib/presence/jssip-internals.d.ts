// Types for the JsSIP 3.13 module outside its public index that jssip-publish.ts uses: the
// RequestSender that JsSIP's own MESSAGE and OPTIONS clients send through (CommonJS: the module
// is the class). Included by tsconfig.web.json (src-renderer) and tsconfig.test.json.
declare module 'jssip/lib/RequestSender' {
  import type { UA } from 'jssip';
  import type { IncomingResponse, OutgoingRequest } from 'jssip/lib/SIPMessage';

  export interface RequestSenderHandlers {
    onRequestTimeout(): void;
    onTransportError(): void;
    /** Every response, provisional ones included; a 401/407 only when it could not be answered. */
    onReceiveResponse(response: IncomingResponse): void;
  }

  export default class RequestSender {
    constructor(ua: UA, request: OutgoingRequest, handlers: RequestSenderHandlers);
    send(): void;
  }
}
