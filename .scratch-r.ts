import { parsePrompt } from './core/format/parse';
const chatLines: string[] = [];
for (let i = 0; i < 5000; i++) chatLines.push(i % 50 === 0 ? (i % 100 === 0 ? 'system:' : 'human:') : i % 7 === 0 ? '' : `Line ${i} with {var${i % 13}} and {{literal}} text, some more words here.`);
const body = chatLines.join('\n').replace(/\n/g, '\r\n');
for (let i = 0; i < 1500; i++) parsePrompt(body);
