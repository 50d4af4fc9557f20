// Component-test page: mounts one of the app's real views (?view=call|incoming|main) inside a
// real renderer root (PhoneRoot), with the snapshot from window.__snapshot. Actions the view triggers are
// recorded in window.__actions instead of reaching a SIP engine.
import { mount } from 'svelte';
import '../../../../src-renderer/src/app.css';
import Harness from './Harness.svelte';

mount(Harness, { target: document.getElementById('app')! });
