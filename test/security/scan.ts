// `npm run security:scan`: Electronegativity over main, preload and the built renderer.
// Prints every finding with its review status; exits 1 on an unreviewed finding, a stale
// exception or a file the scanner could not parse.
import { loadExceptions, review, scanApp } from './electronegativity';

const result = await scanApp();
const exceptions = loadExceptions();
const { unreviewed, unused } = review(result.findings, exceptions);
const out = (line: string): boolean => process.stdout.write(`${line}\n`);

out(
  `Electronegativity: ${result.checks} checks over ${result.files} files (offline; ${result.blockedRequests.length} network request(s) refused)`,
);
for (const f of result.findings) {
  const exception = exceptions.find((e) => e.check === f.id && e.file === f.file);
  out(`${exception ? 'reviewed ' : 'FINDING  '} ${f.id} ${f.file}:${f.line}`);
  out(`          ${exception ? exception.reason : f.description}`);
}
for (const e of result.errors) {
  out(`PARSE ERROR ${e.file}: ${e.message}`);
}
for (const e of unused) {
  out(`STALE EXCEPTION ${e.check} ${e.file}: no such finding any more; remove it`);
}
const failed = unreviewed.length > 0 || unused.length > 0 || result.errors.length > 0;
out(
  failed
    ? 'security scan FAILED'
    : 'security scan passed: no findings apart from reviewed exceptions',
);
process.exitCode = failed ? 1 : 0;
