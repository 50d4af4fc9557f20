// Benchmark page: exposes the presence-XML workload on window.__presenceBench so the runner
// (test/bench/presence-xml.ts) can time the reader, DOMParser and the regex scraper in Chromium.
import { lampFor, measure, ringingBody, type Method } from './workload';

const bench = {
  /** Timings per handling of `lamps` NOTIFY bodies (ms). */
  measure(method: Method, lamps: number, samples: number, reps: number): number[] {
    const bodies = Array.from({ length: lamps }, (_, i) => ringingBody(i));
    return measure(method, bodies, samples, reps);
  },
  /** The lamp each method derives for `body` (a sanity check that they agree). */
  lamp(method: Method, body: string): string {
    return lampFor(method, body);
  },
  /** Time (ms) one method takes on one body (hostile cases). */
  once(method: Method, body: string, reps: number): number {
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) {
      lampFor(method, body);
    }
    return (performance.now() - t0) / reps;
  },
};

declare global {
  interface Window {
    __presenceBench: typeof bench;
  }
}

window.__presenceBench = bench;
document.documentElement.dataset.ready = 'true';
