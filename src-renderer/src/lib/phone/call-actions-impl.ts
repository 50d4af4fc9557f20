// The call actions' chunk (loaded through call-actions.ts): the local conference's mix and the
// transfers. Nothing outside call-actions.ts imports this file's values.
export { LocalConference } from './conference';
export { runTransfer } from './call-transfer';
