// Unit-test setup: JsSIP's session, MESSAGE and subscription code is a chunk the renderer root
// loads before any account starts (phone/jssip-deferred.ts), and placing a call checks it is
// there; engines in unit tests are started without a root, so it is loaded here first, as the
// app has it by the time a call is made.
import { loadJsSipSessions } from '../../src-renderer/src/lib/phone/jssip-deferred';

await loadJsSipSessions();
