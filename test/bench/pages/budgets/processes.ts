// CPU and memory of a Chromium process tree, as the OS sees it: cumulative CPU time per process
// from the browser's SystemInfo.getProcessInfo (CDP), resident memory from /proc (Linux). One
// browser per side (app, bare JsSIP) keeps the two trees apart.
import { readFile } from 'node:fs/promises';
import type { Browser, CDPSession } from 'playwright-core';

export interface ProcessSample {
  type: string;
  pid: number;
  cpuS: number;
}

/** The browser's processes and their CPU seconds so far. */
export async function processes(cdp: CDPSession): Promise<ProcessSample[]> {
  const info = await cdp.send('SystemInfo.getProcessInfo');
  return info.processInfo.map((p) => ({ type: p.type, pid: p.id, cpuS: p.cpuTime }));
}

/** CPU use over a window, in percent of one core: the renderers, and the whole tree. */
export interface CpuWindow {
  rendererPct: number;
  treePct: number;
  byType: Record<string, number>;
}

/** A CDP session on the browser itself (for process information). */
export function browserSession(browser: Browser): Promise<CDPSession> {
  return browser.newBrowserCDPSession();
}

/** CPU between two samples taken `seconds` apart (processes that came or went count from 0). */
export function cpuBetween(
  before: ProcessSample[],
  after: ProcessSample[],
  seconds: number,
): CpuWindow {
  const start = new Map(before.map((p) => [p.pid, p.cpuS]));
  const byType: Record<string, number> = {};
  let tree = 0;
  for (const p of after) {
    const used = Math.max(0, p.cpuS - (start.get(p.pid) ?? 0));
    byType[p.type] = (byType[p.type] ?? 0) + used;
    tree += used;
  }
  const pct = (s: number): number => (100 * s) / seconds;
  return {
    rendererPct: pct(byType.renderer ?? 0),
    treePct: pct(tree),
    byType: Object.fromEntries(Object.entries(byType).map(([k, v]) => [k, pct(v)])),
  };
}

/** Resident memory of processes of `type`, in MB (Linux /proc; 0 where it cannot be read). */
export async function rssMb(samples: ProcessSample[], type = 'renderer'): Promise<number> {
  let kb = 0;
  for (const p of samples.filter((s) => s.type === type)) {
    const status = await readFile(`/proc/${p.pid}/status`, 'utf8').catch(() => '');
    kb += Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
  }
  return kb / 1024;
}
