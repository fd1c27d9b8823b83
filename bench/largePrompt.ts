// A generated `.prompt` of a given number of lines, shaped like a real few-shot support bot: front matter
// with a model, parameters, partials and a memory key; a chat body of many system/human/ai messages that
// use the partials, the stored conversation through a placeholder, and the user's input at the end.
// Clean by construction (no diagnostics), so the benchmarks time the path an edit usually takes.

const frontMatter = `---
name: support-bot
description: A customer-support assistant with worked examples and the conversation so far.
model: gpt-4.1
parameters:
  temperature: 0.3
  max_tokens: 512
  top_p: 0.9
partial_variables:
  company: Acme Cloud
  product: Acme Storage
  tone: friendly but precise
input_key: question
memory:
  key: chat_history
  return_messages: true
  human_prefix: Customer
  ai_prefix: Agent
---
system:
You are the support assistant of {company}. Answer questions about {product} in a {tone} tone.
Quote exact settings names, never invent prices, and say when a human agent should take over.

placeholder:
{chat_history}
`;

const questions = [
  'How do I rotate the access keys of a bucket without downtime?',
  'My upload fails halfway with a 403 after about an hour. Why?',
  'Can I restore a file that was deleted two weeks ago?',
  'What is the difference between the standard and the archive tier?',
  'Why is my monthly bill higher than the calculator said?',
];

const answerLines = [
  'Thanks for asking! At {company} we see this often with {product}.',
  'First, open the console and check the bucket settings under "Access".',
  'If versioning is on, earlier copies are kept for the retention period you chose.',
  'Signed upload URLs expire after 60 minutes unless you pass a longer expiry.',
  'Archive objects cost less to keep but take a few hours to read back.',
  'Requests and egress are billed separately from the stored gigabytes.',
  'You can follow the steps in the guide, or I can walk you through them here.',
  'Let me know if anything is unclear; a human agent is one message away.',
];

/** A worked example: the customer's question and the agent's answer, about `lines` lines in all. */
function example(index: number, lines: number): string {
  const question = questions[index % questions.length]!;
  const answer = Array.from({ length: Math.max(1, lines - 5) }, (_, i) => answerLines[(index + i) % answerLines.length]!);
  return `human:\n${question} (case ${index})\n\nai:\n${answer.join('\n')}\n\n`;
}

export interface LargePrompt {
  text: string;
  lines: number;
}

export function largePrompt(targetLines: number): LargePrompt {
  const closing = 'human:\n{question}\n';
  const parts = [frontMatter, '\n'];
  let lines = (frontMatter + '\n' + closing).split('\n').length - 1;
  for (let index = 0; lines < targetLines; index++) {
    const block = example(index, Math.min(12, targetLines - lines));
    parts.push(block);
    lines += block.split('\n').length - 1;
  }
  parts.push(closing);
  const text = parts.join('');
  return { text, lines: text.split('\n').length - 1 };
}
