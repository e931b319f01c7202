#!/usr/bin/env node
// Dependency audit for CI: fails on high or critical advisories in production dependencies unless
// listed with a reason in audit-exceptions.json. Where the registry's audit endpoint cannot be
// reached (closed networks answer 405/ENOTFOUND), it says so and does not pretend to have checked.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const exceptions = existsSync('audit-exceptions.json') ? JSON.parse(readFileSync('audit-exceptions.json', 'utf8')) : {};
let report;
try {
  report = JSON.parse(execFileSync('npm', ['audit', '--json', '--omit=dev'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
} catch (err) {
  const out = err.stdout?.toString() ?? '';
  try {
    report = JSON.parse(out);
  } catch {
    report = undefined;
  }
  if (!report || report.error) {
    console.log(`[audit] NOT CHECKED: the registry's audit endpoint is unavailable here (${report?.error?.summary ?? err.message.split('\n')[0]})`);
    process.exit(0);
  }
}
const high = Object.entries(report.vulnerabilities ?? {}).filter(([, v]) => v.severity === 'high' || v.severity === 'critical');
const unexcused = high.filter(([name]) => !exceptions[name]);
for (const [name, v] of high) console.log(`[audit] ${v.severity} ${name}${exceptions[name] ? ` (accepted: ${exceptions[name]})` : ''}`);
console.log(`[audit] ${high.length} high/critical, ${unexcused.length} without a justified exception`);
process.exit(unexcused.length ? 1 : 0);
