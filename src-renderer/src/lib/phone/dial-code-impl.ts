// The dial parser and the dial rules (with the regex safety check they compile user patterns
// through), as one chunk loaded by phone/dial-code.ts.
export { parseTypedDial } from '@shared/dial-target';
export { applyDialRules, willDialText } from '@shared/dial-rules';
