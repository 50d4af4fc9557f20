// A fake BrowserWindow for the window service's unit tests: records shows, hides, focus and
// sent events, and lets the test emit ready-to-show, close and page (re)loads.
import type { BrowserWindowConstructorOptions } from 'electron';
import type { WindowContents, WindowLike } from '../../src-main/windows/main-window';
import { FakeEmitter } from './fake-emitter';

export class FakeContents extends FakeEmitter implements WindowContents {
  readonly sent: { channel: string; payload: unknown }[] = [];
  destroyed = false;
  reloads = 0;
  reload(): void {
    this.reloads += 1;
    this.emit('did-start-loading');
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
