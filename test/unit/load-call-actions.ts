// Unit-test setup: the conference and transfer code is a chunk of its own that the renderer
// fetches once the phone has started (phone/call-actions.ts). Its load is a real module import,
// which the fake clock of the call tests cannot advance, so it is loaded here first, as the app
// has it by the time a user merges or transfers (test/unit/phone/call-actions.test.ts covers the
// load itself).
import { preloadCallActions } from '../../src-renderer/src/lib/phone/call-actions';

await preloadCallActions();
