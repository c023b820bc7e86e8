/**
 * `node --import tsx bench/render.ts bench/results/<run>.json [--write]`: render a results JSON as its
 * markdown table with the current renderer (intervals and verdicts included where the JSON has per-round
 * figures); `--write` replaces the `.md` next to it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { renderTable } from './lib/report.js';

const args = process.argv.slice(2);
const file = args.find((a) => a.endsWith('.json'));
if (!file) {
  process.stderr.write('usage: node --import tsx bench/render.ts bench/results/<run>.json [--write]\n');
  process.exit(2);
}
const md = renderTable(JSON.parse(readFileSync(file, 'utf8')));
if (args.includes('--write')) writeFileSync(file.replace(/\.json$/, '.md'), md);
process.stdout.write(`${md}\n`);
