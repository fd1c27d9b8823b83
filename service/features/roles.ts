// What each role header creates in LangChain; shared by hover, completion and symbols.

import type { Role } from '../../core/format/model';

export interface RoleInfo {
  /** The header as completion writes it. */
  readonly header: string;
  readonly promptClass: string;
  readonly doc: string;
}

export const roles: Record<Role, RoleInfo> = {
  system: {
    header: 'system:',
    promptClass: 'SystemMessagePromptTemplate',
    doc: 'starts a system message: `SystemMessagePromptTemplate` → `SystemMessage`, sent with role `system`.',
  },
  human: {
    header: 'human:',
    promptClass: 'HumanMessagePromptTemplate',
    doc: 'starts a human message: `HumanMessagePromptTemplate` → `HumanMessage`, sent with role `user`.',
  },
  ai: {
    header: 'ai:',
    promptClass: 'AIMessagePromptTemplate',
    doc: 'starts an AI message: `AIMessagePromptTemplate` → `AIMessage`, sent with role `assistant`.',
  },
  placeholder: {
    header: 'placeholder:',
    promptClass: 'MessagesPlaceholder',
    doc:
      'inserts a list of messages: `MessagesPlaceholder`. Holds exactly one `{variable}` whose value is a ' +
      'list of messages — the memory when `return_messages: true`.',
  },
};
