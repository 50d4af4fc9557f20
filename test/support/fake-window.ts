// A fake BrowserWindow for the window service's unit tests: records shows, hides, focus,
// minimises, urgency hints and sent events, and lets the test emit ready-to-show, close, page
// (re)loads, a crashed or hung renderer, key presses and the Windows session-end events.
import type { BrowserWindowConstructorOptions } from 'electron';
import type { WindowContents, WindowLike } from '../../src-main/windows/main-window';
import { FakeEmitter } from './fake-emitter';

let nextContentsId = 1;

export class FakeContents extends FakeEmitter implements WindowContents {
  readonly id = nextContentsId++;
  readonly sent: { channel: string; payload: unknown }[] = [];
  destroyed = false;
  reloads = 0;
  crashes = 0;
  reload(): void {
    this.reloads += 1;
    this.emit('did-start-loading');
  }
  /** WebContents docs: emits render-process-gone with reason killed (or crashed). */
  forcefullyCrashRenderer(): void {
    this.crashes += 1;
    this.emit('render-process-gone', {}, { reason: 'killed', exitCode: 9 });
  }
  /** A key press as Electron reports it; returns whether the page would still get it. */
  press(input: { key: string; control?: boolean; meta?: boolean; shift?: boolean }): boolean {
    const event = {
      prevented: false,
      preventDefault(): void {
        event.prevented = true;
      },
    };
    this.emit('before-input-event', event, {
      type: 'keyDown',
      control: false,
      meta: false,
      shift: false,
      alt: false,
      ...input,
    });
    return !event.prevented;
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, payload: args[0] });
    this.emit('test:sent', channel, args[0]); // lets a test await a given event
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

export class FakeWindow extends FakeEmitter implements WindowLike {
  readonly webContents = new FakeContents();
  readonly calls: string[] = [];
  visible = false;
  minimized = false;
  focused = false;
  flashing = false;
  destroyed = false;
  loaded: string | null = null;

  constructor(readonly options: BrowserWindowConstructorOptions) {
    super();
  }
  show(): void {
    this.calls.push('show');
    this.visible = true;
    this.emit('show');
  }
  hide(): void {
    this.calls.push('hide');
    this.visible = false;
    this.emit('hide');
  }
  focus(): void {
    this.calls.push('focus');
  }
  minimize(): void {
    this.calls.push('minimize');
    this.minimized = true;
  }
  flashFrame(flag: boolean): void {
    this.calls.push(`flashFrame ${flag}`);
    this.flashing = flag;
  }
  isFocused(): boolean {
    return this.focused;
  }
  restore(): void {
    this.calls.push('restore');
    this.minimized = false;
  }
  moveTop(): void {
    this.calls.push('moveTop');
  }
  isVisible(): boolean {
    return this.visible;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  loadURL(url: string): Promise<void> {
    this.loaded = url;
    this.webContents.emit('did-start-loading');
    return Promise.resolve();
  }
  /** The user clicked the window's close button; returns whether it really closed. */
  userClose(): boolean {
    const event = {
      prevented: false,
      preventDefault(): void {
        event.prevented = true;
      },
    };
    this.emit('close', event);
    if (!event.prevented) {
      this.destroyed = true;
      this.visible = false;
      this.emit('closed');
    }
    return !event.prevented;
  }
}
