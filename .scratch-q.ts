import { scanFString } from './core/format/fstring';
import { linesBetween } from './core/format/text';
import { parsePrompt } from './core/format/parse';
const chatLines: string[] = [];
for (let i = 0; i < 5000; i++) chatLines.push(i % 50 === 0 ? (i % 100 === 0 ? 'system:' : 'human:') : i % 7 === 0 ? '' : `Line ${i} with {var${i % 13}} and {{literal}} text, some more words here.`);
const body = chatLines.join('\n');
const plain = body.replace(/[{}]/g, '');
function time(name: string, f: () => void) {
  for (let i = 0; i < 50; i++) f();
  const times: number[] = [];
  for (let i = 0; i < 100; i++) { const s = process.hrtime.bigint(); f(); times.push(Number(process.hrtime.bigint() - s) / 1e6); }
  times.sort((a, b) => a - b);
  console.log(name, 'median ms', times[50]?.toFixed(3));
}
time('fstring', () => scanFString(body, 0, body.length));
time('fstring-plain', () => scanFString(plain, 0, plain.length));
time('lines', () => linesBetween(body, 0, body.length));
time('parse-plain', () => parsePrompt(plain));
time('slice', () => body.slice(1, body.length - 1).indexOf('\r'));
