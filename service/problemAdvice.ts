// The parser's problems pass through one to one, but the parser cannot know who reads them: where it
// tells the user to put an endpoint or a key instead of the file, the advice is the host's (./hosts.ts),
// so `prompt-chain check` names the flag and the environment and the editor names its setting and command.

import type { ParseProblem } from '../core/format/model';
import { ProblemCode } from '../core/format/problems';
import type { HostHints } from './hosts';

export function problemMessage(problem: ParseProblem, hints: HostHints): string {
  const key = problem.data?.['key'];
  if (typeof key !== 'string') return problem.message;
  if (problem.code === ProblemCode.endpointInFile) {
    return `\`${key}\` is never read from a .prompt file: a shared file must not choose where your API key is sent, so Prompt Chain refuses the file. Remove it and ${hints.endpoint}.`;
  }
  if (problem.code === ProblemCode.secretInFile) {
    return `\`${key}\` is never read from a .prompt file: a key written here travels with the file to everyone it is shared with, so Prompt Chain refuses the file. Remove it (revoke the key if the file was shared) and ${hints.apiKey}.`;
  }
  return problem.message;
}
