// Unit-test setup: the dial parser and rules are a chunk of their own that the renderer root
// loads before any account starts (phone/dial-code.ts); engines in unit tests are started
// without a root, so it is loaded here first, as the app has it by the time a call is made.
import { loadDialCode } from '../../src-renderer/src/lib/phone/dial-code';

await loadDialCode();
