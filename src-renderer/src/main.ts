// Renderer entry: the phone window mounts the app; the incoming-call popup window (#popup)
// mounts only the popup.
import { mount } from 'svelte';
import App from './App.svelte';
import PopupApp from './PopupApp.svelte';
import './app.css';

const target = document.getElementById('app');
if (!target) {
  throw new Error('index.html has no #app element');
}
export default location.hash.startsWith('#popup')
  ? mount(PopupApp, { target })
  : mount(App, { target });
