// A small stand-in for the `events` package (Node's EventEmitter for browsers), which JsSIP's
// UA, sessions, transport and subscriptions extend (startup budget, issue 19: the package is
// ≈ 2 KB gz of the first load). The renderer build aliases `events` to this file
// (electron.vite.config.ts). Same behaviour as Node's EventEmitter for the surface JsSIP and the
// app use, and the rest of the instance API: on/addListener, prependListener, once,
// prependOnceListener, off/removeListener (the most recently added instance, once-wrappers found
// by their listener), removeAllListeners, emit (over a snapshot of the listeners; an 'error'
// nobody listens to is thrown), listeners, rawListeners, listenerCount, eventNames,
// set/getMaxListeners, and the 'newListener' / 'removeListener' events. Not here: the module's
// static helpers (events.once, events.on, captureRejections) and the max-listeners warning.
'use strict';

function checkListener(listener) {
  if (typeof listener !== 'function') {
    throw new TypeError(
      `The "listener" argument must be of type function. Received ${typeof listener}`,
    );
  }
}

class EventEmitter {
  constructor() {
    this._events = new Map();
    this._maxListeners = undefined;
  }

  // Lists are replaced, never changed in place: an emit in progress keeps its snapshot.
  _add(type, listener, prepend) {
    checkListener(listener);
    if (this._events.has('newListener')) {
      this.emit('newListener', type, listener.listener ?? listener);
    }
    const list = this._events.get(type) ?? [];
    this._events.set(type, prepend ? [listener, ...list] : [...list, listener]);
    return this;
  }

  on(type, listener) {
    return this._add(type, listener, false);
  }

  addListener(type, listener) {
    return this._add(type, listener, false);
  }

  prependListener(type, listener) {
    return this._add(type, listener, true);
  }

  _onceWrap(type, listener) {
    checkListener(listener);
    let fired = false;
    const wrapper = (...args) => {
      if (!fired) {
        fired = true;
        this.removeListener(type, wrapper);
        return listener.apply(this, args);
      }
      return undefined;
    };
    wrapper.listener = listener;
    return wrapper;
  }

  once(type, listener) {
    return this._add(type, this._onceWrap(type, listener), false);
  }

  prependOnceListener(type, listener) {
    return this._add(type, this._onceWrap(type, listener), true);
  }

  removeListener(type, listener) {
    checkListener(listener);
    const list = this._events.get(type);
    if (!list) {
      return this;
    }
    const index = list.findLastIndex((l) => l === listener || l.listener === listener);
    if (index < 0) {
      return this;
    }
    const removed = list[index];
    if (list.length === 1) {
      this._events.delete(type);
    } else {
      this._events.set(
        type,
        list.filter((_, i) => i !== index),
      );
    }
    if (this._events.has('removeListener')) {
      this.emit('removeListener', type, removed.listener ?? removed);
    }
    return this;
  }

  off(type, listener) {
    return this.removeListener(type, listener);
  }

  removeAllListeners(type) {
    const types = type === undefined ? [...this._events.keys()] : [type];
    // As Node does: the 'removeListener' listeners hear every other removal, and go last.
    types.sort((a, b) => (a === 'removeListener') - (b === 'removeListener'));
    for (const t of types) {
      const list = this._events.get(t) ?? [];
      for (let i = list.length - 1; i >= 0; i -= 1) {
        this.removeListener(t, list[i]);
      }
    }
    return this;
  }

  emit(type, ...args) {
    const list = this._events.get(type);
    if (!list) {
      if (type === 'error') {
        const error = args[0];
        throw error instanceof Error ? error : new Error(`Unhandled error. (${String(error)})`);
      }
      return false;
    }
    for (const listener of list) {
      listener.apply(this, args);
    }
    return true;
  }

  listeners(type) {
    return (this._events.get(type) ?? []).map((l) => l.listener ?? l);
  }

  rawListeners(type) {
    return [...(this._events.get(type) ?? [])];
  }

  listenerCount(type) {
    return this._events.get(type)?.length ?? 0;
  }

  eventNames() {
    return [...this._events.keys()];
  }

  setMaxListeners(n) {
    this._maxListeners = n;
    return this;
  }

  getMaxListeners() {
    return this._maxListeners ?? EventEmitter.defaultMaxListeners;
  }
}

EventEmitter.defaultMaxListeners = 10;
EventEmitter.EventEmitter = EventEmitter;

module.exports = EventEmitter;
