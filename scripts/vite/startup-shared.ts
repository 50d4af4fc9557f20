// A Vite plugin with a code-splitting group (issue 19): the modules that the chunks the phone
// loads right after its first file (the parts, the dial code: `roots`) share with each other
// or with lazy views go into one chunk, instead of one small chunk per shared module. Split,
// they were 8 more files fetched at once beside the roots and JsSIP's sessions; over HTTP/1.1
// (the browser build, the benchmarks) a browser fetches 6 at a time from a host, so the rest
// waited (page load → registered: 325 → 298 ms p50, docs/performance.md). Each root stays a
// chunk of its own, so one that cannot load (a damaged install) leaves the others working.
import type { Plugin } from 'vite';

export interface StartupShared {
  plugin: Plugin;
  /** The group's `test`: whether a module goes into the shared chunk. */
  test: (id: string) => boolean;
}

/** `roots`: the dynamically imported modules (matched by id) whose shared code is one chunk. */
export function startupShared(roots: RegExp): StartupShared {
  let captured = new Set<string>();
  return {
    test: (id) => captured.has(id),
    plugin: {
      name: 'softphone-startup-shared',
      apply: 'build',
      buildEnd() {
        const info = (id: string) => this.getModuleInfo(id);
        const closure = (from: string[]): Set<string> => {
          const seen = new Set<string>();
          const queue = [...from];
          for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
            if (!seen.has(id)) {
              seen.add(id);
              queue.push(...(info(id)?.importedIds ?? []));
            }
          }
          return seen;
        };
        const ids = [...this.getModuleIds()];
        // What the entries load statically is the startup file's: never moved.
        const initial = closure(ids.filter((id) => info(id)?.isEntry));
        const dynamic = new Set(ids.flatMap((id) => info(id)?.dynamicallyImportedIds ?? []));
        // How many lazily loaded chunks (each dynamic import) reach each module.
        const reach = new Map<string, number>();
        for (const entry of dynamic) {
          for (const id of closure([entry])) {
            reach.set(id, (reach.get(id) ?? 0) + 1);
          }
        }
        const rootIds = [...dynamic].filter((id) => roots.test(id));
        captured = new Set(
          [...closure(rootIds)].filter(
            (id) =>
              !initial.has(id) &&
              !rootIds.includes(id) &&
              !dynamic.has(id) &&
              (reach.get(id) ?? 0) > 1,
          ),
        );
      },
    },
  };
}
