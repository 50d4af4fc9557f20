// The per-call recording manager (lib/recording/recordings.ts) driven by line events, with a
// fake recording engine: auto-record on answer per account, the R key's start → pause → resume,
// main's failure reaching the right call (the call goes on), stop at hang-up with the ids handed
// to the history (settle, bounded), a call that ends while its recording starts, stopAll at quit,
// and the engine loaded once, on first use.
import { describe, expect, it, vi } from 'vitest';
import type { RecordingFailure, RecordingStarted } from '../../../src-main/shared/ipc-contract';
import { DEFAULT_RECORDING } from '../../../src-main/shared/settings-types';
import { TypedEmitter } from '../../../src-renderer/src/lib/emitter';
import type {
  CallEvents,
  CallSnapshot,
  LineEvents,
  PhoneCall,
} from '../../../src-renderer/src/lib/phone';
import type { CallRecordingEvents } from '../../../src-renderer/src/lib/recording/call-recording';
import {
  CallRecordings,
  type RecordingControl,
  type RecordingFactory,
} from '../../../src-renderer/src/lib/recording/recordings';

class FakeCall extends TypedEmitter<CallEvents> {
  status: CallSnapshot['status'] = 'incoming';
  constructor(
    readonly id: string,
    readonly accountId = 'office',
  ) {
    super();
  }
  get snapshot(): CallSnapshot {
    return {
      id: this.id,
      accountId: this.accountId,
      direction: 'incoming',
      status: this.status,
      party: { name: 'Bob', user: '1002', uri: 'sip:1002@pbx' },
      createdAt: 0,
      answeredAt: null,
      endedAt: null,
      end: null,
      muted: false,
      remoteAudio: true,
      hold: { local: false, remote: false },
      earlyMedia: false,
      trouble: null,
      transfer: null,
      info: {
        anonymous: false,
        autoAnswerAfterS: null,
        replacesCallId: null,
        transferredBy: null,
        extension: null,
      },
    };
  }
  answer(): void {
    this.status = 'active';
    this.emit('answered', this.snapshot);
  }
}

class FakeLines extends TypedEmitter<LineEvents> {
  readonly calls = new Map<string, FakeCall>();
  start(call: FakeCall): void {
    this.calls.set(call.id, call);
    this.emit('started', call as unknown as PhoneCall);
  }
  end(call: FakeCall): void {
    call.status = 'ended';
    this.calls.delete(call.id);
    this.emit('ended', { snapshot: call.snapshot, autoDeclined: null, consultFor: null });
  }
  object(id: string): PhoneCall | null {
    return (this.calls.get(id) as unknown as PhoneCall) ?? null;
  }
}

class FakeControl extends TypedEmitter<CallRecordingEvents> implements RecordingControl {
  recording: RecordingStarted | null = null;
  readonly log: string[] = [];
  constructor(
    readonly n: number,
    readonly startGate: Promise<void>,
    readonly failStart: string | null,
  ) {
    super();
  }
  async start(): Promise<RecordingStarted> {
    this.log.push('start');
    await this.startGate;
    if (this.failStart) {
      throw new Error(this.failStart);
    }
    this.recording = {
      id: `00000000-0000-4000-8000-${String(this.n).padStart(12, '0')}`,
      path: `/rec/${this.n}.webm`,
      fileName: `${this.n}.webm`,
    };
    return this.recording;
  }
  async pause(): Promise<void> {
    this.log.push('pause');
  }
  async resume(): Promise<void> {
    this.log.push('resume');
  }
  async stop(): Promise<null> {
    this.log.push('stop');
    return null;
  }
  mainStopped(message: string): void {
    this.log.push(`main-stopped:${message}`);
    this.emit('failed', message);
  }
  say<K extends keyof CallRecordingEvents>(event: K, payload: CallRecordingEvents[K]): void {
    this.emit(event, payload);
  }
}

function rig(autoRecord: (accountId: string) => boolean = () => false) {
  const lines = new FakeLines();
  const controls: FakeControl[] = [];
  const failures = new TypedEmitter<{ failed: RecordingFailure }>();
  /** How the next recording's start goes (a gate to hold it, or main's refusal). */
  const next: { gate: Promise<void>; fail: string | null } = {
    gate: Promise.resolve(),
    fail: null,
  };
  const factory: RecordingFactory = () => {
    const control = new FakeControl(controls.length + 1, next.gate, next.fail);
    next.gate = Promise.resolve();
    next.fail = null;
    controls.push(control);
    return control;
  };
  const load = vi.fn(async () => factory);
  const recordings = new CallRecordings({
    lines,
    settings: () => DEFAULT_RECORDING,
    autoRecord,
    partyName: (call) => call.party.name ?? call.party.user,
    port: {
      start: () => Promise.reject(new Error('not used')),
      chunk: () => Promise.resolve(),
      pause: () => Promise.resolve(),
      resume: () => Promise.resolve(),
      stop: () => Promise.reject(new Error('not used')),
    },
    readAnnouncement: () => Promise.resolve(null),
    onFailure: (listener) => failures.on('failed', listener),
    load,
    settleMs: 200,
  });
  const fail = (failure: RecordingFailure): void =>
    (failures as unknown as { emit(e: 'failed', p: RecordingFailure): void }).emit(
      'failed',
      failure,
    );
  return { lines, controls, recordings, load, fail, next };
}

async function answered(r: ReturnType<typeof rig>, id = 'call-1', account = 'office') {
  const call = new FakeCall(id, account);
  r.lines.start(call);
  call.answer();
  await Promise.resolve();
  return call;
}

describe('CallRecordings', () => {
  it('records an answered call by itself when its account says so, and not others', async () => {
    const r = rig((account) => account === 'sales');
    await answered(r, 'call-1', 'office');
    const sales = await answered(r, 'call-2', 'sales');
    await vi.waitFor(() => expect(r.recordings.status(sales.id).phase).toBe('recording'));
    expect(r.recordings.status('call-1').phase).toBe('idle');
    expect(r.controls).toHaveLength(1);
    expect(r.recordings.summary).toBe('recording');
  });

  it('the R key: start, pause, resume; stop closes the file and keeps the call', async () => {
    const r = rig();
    const call = await answered(r);
    const phases: string[] = [];
    r.recordings.on('changed', () => phases.push(r.recordings.status(call.id).phase));
    await r.recordings.toggle(call.id);
    expect(r.recordings.status(call.id)).toMatchObject({ phase: 'recording', fileName: '1.webm' });
    await r.recordings.toggle(call.id);
    expect(r.recordings.summary).toBe('paused');
    await r.recordings.toggle(call.id);
    await r.recordings.stop(call.id);
    expect(r.controls[0]!.log).toEqual(['start', 'pause', 'resume', 'stop']);
    expect(phases).toEqual(['starting', 'recording', 'paused', 'recording', 'stopping', 'stopped']);
    expect(call.status).toBe('active');
    expect(r.recordings.summary).toBeNull();
    // Recording again makes a second file of the same call.
    await r.recordings.start(call.id);
    expect(r.recordings.status(call.id).ids).toHaveLength(2);
    expect(r.load).toHaveBeenCalledTimes(1);
  });

  it('does not record a call that is not connected', async () => {
    const r = rig();
    const call = new FakeCall('call-1');
    r.lines.start(call);
    await r.recordings.start(call.id);
    expect(r.recordings.status(call.id).phase).toBe('idle');
    expect(r.load).not.toHaveBeenCalled();
  });

  it("main's failure reaches the recording it names: a sentence, the call goes on", async () => {
    const r = rig();
    const a = await answered(r, 'call-1');
    const b = await answered(r, 'call-2');
    await r.recordings.start(a.id);
    await r.recordings.start(b.id);
    const bId = r.recordings.status(b.id).ids[0]!;
    r.fail({ id: bId, message: 'The disk is full, so recording stopped. The call goes on.' });
    expect(r.recordings.status(b.id)).toMatchObject({
      phase: 'failed',
      message: 'The disk is full, so recording stopped. The call goes on.',
    });
    expect(r.recordings.status(a.id).phase).toBe('recording');
    await vi.waitFor(() => expect(r.controls[1]!.log.at(-1)).toBe('stop'));
    expect(r.controls[0]!.log).toEqual(['start']);
    expect(b.status).toBe('active');
  });

  it('a start main refuses (folder missing) says why; the next try works', async () => {
    const r = rig();
    const call = await answered(r);
    r.next.fail = 'The recordings folder /media/usb is not there.';
    await r.recordings.start(call.id);
    expect(r.recordings.status(call.id)).toMatchObject({
      phase: 'failed',
      message: 'The recordings folder /media/usb is not there.',
      ids: [],
    });
    await r.recordings.start(call.id);
    expect(r.recordings.status(call.id)).toMatchObject({ phase: 'recording', message: null });
  });

  it('hang-up stops the recording and hands its ids to the history, then forgets the call', async () => {
    const r = rig();
    const call = await answered(r);
    await r.recordings.start(call.id);
    const ids = r.recordings.status(call.id).ids;
    r.lines.end(call);
    expect(await r.recordings.settle(call.id)).toEqual(ids);
    expect(r.controls[0]!.log).toEqual(['start', 'stop']);
    expect(r.recordings.status(call.id).phase).toBe('idle');
  });

  it('a call that ends while its recording starts still gets the file closed and listed', async () => {
    const r = rig();
    const call = await answered(r);
    let open: () => void = () => {};
    r.next.gate = new Promise((resolve) => (open = resolve));
    const starting = r.recordings.start(call.id);
    await vi.waitFor(() => expect(r.controls[0]?.log).toEqual(['start']));
    r.lines.end(call);
    const settled = r.recordings.settle(call.id);
    open();
    await starting;
    expect(await settled).toHaveLength(1);
    expect(r.controls[0]!.log).toEqual(['start', 'stop']);
  });

  it('settle does not wait forever for a recording that never closes', async () => {
    const r = rig();
    const call = await answered(r);
    await r.recordings.start(call.id);
    r.controls[0]!.stop = () => new Promise(() => {});
    vi.useFakeTimers();
    try {
      r.lines.end(call);
      const settled = r.recordings.settle(call.id);
      await vi.advanceTimersByTimeAsync(200);
      expect(await settled).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('the notice and its problems are part of the status', async () => {
    const r = rig();
    const call = await answered(r);
    await r.recordings.start(call.id);
    r.controls[0]!.say('announcing', true);
    r.controls[0]!.say('notice', 'The announcement file cannot be read.');
    expect(r.recordings.status(call.id)).toMatchObject({
      announcing: true,
      notice: 'The announcement file cannot be read.',
    });
  });

  it('stopAll (quit) closes every recording; ids in progress are known for the journal', async () => {
    const r = rig();
    const a = await answered(r, 'call-1');
    const b = await answered(r, 'call-2');
    await r.recordings.start(a.id);
    await r.recordings.start(b.id);
    await r.recordings.pause(b.id);
    expect(Object.keys(r.recordings.idsInProgress())).toEqual(['call-1', 'call-2']);
    await r.recordings.stopAll();
    expect(r.controls.map((c) => c.log.at(-1))).toEqual(['stop', 'stop']);
    expect(r.recordings.summary).toBeNull();
  });
});
