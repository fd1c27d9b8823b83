import { largePrompt } from './largePrompt';
const l = largePrompt(5000).text.split('\n'); console.log(JSON.stringify(l.slice(2497, 2503)));
