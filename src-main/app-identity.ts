// The product's fixed names, in one place: the app id (also the Windows AppUserModelID), the
// product name and the Linux desktop file name.

export const APP_ID = 'org.opensoftphone.OpenSoftphone';
export const PRODUCT_NAME = 'Open Softphone';
export { DESKTOP_FILE_NAME } from './login-items/login-items';
