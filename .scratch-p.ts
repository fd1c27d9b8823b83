import { parsePrompt } from './core/format/parse';
const fm = '---\nname: big\nmemory:\n  key: chat_history\nparameters:\n  temperature: 0.2\n---\n';
const chatLines: string[] = [];
for (let i = 0; i < 5000; i++) chatLines.push(i % 50 === 0 ? (i % 100 === 0 ? 'system:' : 'human:') : i % 7 === 0 ? '' : `Line ${i} with {var${i % 13}} and {{literal}} text, some more words here.`);
const chat = fm + chatLines.join('\n') + '\n';
const completion = fm + chatLines.filter(l => !l.endsWith(':')).join('\n') + '\n';
const body = chatLines.join('\n');
const crlf = body.replace(/\n/g, '\r\n');
for (const [name, t] of [['chat', chat], ['completion', completion], ['bodyonly', body], ['crlf', crlf]] as const) {
  for (let i = 0; i < 50; i++) parsePrompt(t);
  const times: number[] = [];
  for (let i = 0; i < 100; i++) { const s = process.hrtime.bigint(); parsePrompt(t); times.push(Number(process.hrtime.bigint() - s) / 1e6); }
  times.sort((a, b) => a - b);
  console.log(name, t.length, 'median ms', times[50]?.toFixed(3), 'p90', times[90]?.toFixed(3));
}
