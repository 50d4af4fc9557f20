// The list of recordings main has made, kept in one JSON file in the user data folder (written
// atomically), so history entries can refer to a recording by id and a recording that was
// running when the app died is found and repaired at the next start. Paths come only from
// here, never from the renderer.
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { RecordingEntry } from '@shared/ipc-contract';

/** An entry as stored (whether the file still exists is looked up when listing). */
export type StoredRecording = Omit<RecordingEntry, 'exists'>;

const entrySchema = z.strictObject({
  id: z.uuid(),
  callId: z.string().max(100),
  accountId: z.string().max(64),
  party: z.string().max(300),
  direction: z.enum(['incoming', 'outgoing']),
  format: z.enum(['webm', 'wav']),
  path: z.string().min(1).max(4096),
  fileName: z.string().min(1).max(300),
  startedAt: z.string().max(40),
  endedAt: z.string().max(40).nullable(),
  bytes: z.number().int().min(0),
  durationMs: z.number().int().min(0),
  state: z.enum(['recording', 'paused', 'done', 'failed', 'interrupted']),
  message: z.string().max(1000).nullable(),
});
const fileSchema = z.strictObject({ version: z.literal(1), recordings: z.array(entrySchema) });

export class RecordingIndex {
  readonly path: string;
  #entries = new Map<string, StoredRecording>();
  #writing: Promise<void> = Promise.resolve();

  constructor(path: string) {
    this.path = path;
  }

  /** Reads the file; a damaged one is set aside and the list starts empty (returns a notice). */
  async load(): Promise<string | null> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error: unknown) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return null;
      }
      throw error;
    }
    let parsed: ReturnType<typeof fileSchema.safeParse>;
    try {
      parsed = fileSchema.safeParse(JSON.parse(text));
    } catch {
      parsed = fileSchema.safeParse(null);
    }
    if (!parsed.success) {
      const aside = `${this.path}.damaged-${Date.now()}`;
      await rename(this.path, aside);
      return `The list of recordings was damaged and was set aside as ${aside}; the recordings themselves are still in their folder.`;
    }
    this.#entries = new Map(parsed.data.recordings.map((e) => [e.id, e]));
    return null;
  }

  all(): StoredRecording[] {
    return [...this.#entries.values()].map((e) => ({ ...e }));
  }

  get(id: string): StoredRecording | null {
    const entry = this.#entries.get(id);
    return entry ? { ...entry } : null;
  }

  /** Adds or replaces an entry and writes the file. */
  put(entry: StoredRecording): Promise<void> {
    this.#entries.set(entry.id, { ...entry });
    return this.#write();
  }

  remove(id: string): Promise<void> {
    this.#entries.delete(id);
    return this.#write();
  }

  #write(): Promise<void> {
    const text = `${JSON.stringify({ version: 1, recordings: this.all() }, null, 2)}\n`;
    this.#writing = this.#writing.catch(() => {}).then(() => this.#writeAtomically(text));
    return this.#writing;
  }

  async #writeAtomically(text: string): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    const temp = `${this.path}.${process.pid}.tmp`;
    const handle = await open(temp, 'w', 0o600);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(temp, this.path);
    } catch (error: unknown) {
      await rm(temp, { force: true });
      throw error;
    }
  }
}
