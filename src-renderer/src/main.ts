// Renderer entry: the phone window mounts the app; the incoming-call popup window (#popup)
// mounts only the popup, whose code is a chunk of its own (the phone never loads it).
import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';

const target = document.getElementById('app');
if (!target) {
  throw new Error('index.html has no #app element');
}
if (location.hash.startsWith('#popup')) {
  import('./PopupApp.svelte')
    .then(({ default: PopupApp }) => mount(PopupApp, { target }))
    .catch((error: unknown) => {
      target.textContent = `The call notice could not load: ${String(error)}`;
    });
} else {
  mount(App, { target });
}
