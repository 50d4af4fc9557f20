// A small stand-in for the `debug` package, which JsSIP uses for its logs (startup budget,
// issue 19: `debug` and `ms` were ~3 KB gz of the first load). The renderer build aliases
// `debug` to this file (electron.vite.config.ts). Same surface JsSIP uses: `debug(namespace)`
// (also as `debug.default`) returns a logger that prints through its `.log` only while its
// namespace is enabled; `debug.enable('JsSIP:*')` / `debug.disable()` switch namespaces, and
// `localStorage.debug` is read at load as the real package does in a browser. Off by default.
'use strict';

let patterns = [];

function compile(spec) {
  patterns = String(spec || '')
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((p) => ({
      skip: p.startsWith('-'),
      re: new RegExp(
        `^${p
          .replace(/^-/, '')
          .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '.*')}$`,
      ),
    }));
}

function enabled(namespace) {
  if (patterns.some((p) => p.skip && p.re.test(namespace))) {
    return false;
  }
  return patterns.some((p) => !p.skip && p.re.test(namespace));
}

function createDebug(namespace) {
  const logger = (...args) => {
    if (logger.enabled) {
      logger.log(`${namespace} ${String(args.shift())}`, ...args);
    }
  };
  logger.namespace = namespace;
  logger.log = () => {};
  Object.defineProperty(logger, 'enabled', { get: () => enabled(namespace) });
  return logger;
}

createDebug.enable = compile;
createDebug.disable = () => {
  const previous = patterns;
  patterns = [];
  return previous;
};
createDebug.enabled = enabled;
createDebug.default = createDebug;

try {
  compile(globalThis.localStorage && globalThis.localStorage.getItem('debug'));
} catch {
  // localStorage refused (an opaque origin): nothing enabled.
}

module.exports = createDebug;
