// Asks for what a turn needs: the human input (unless the chat panel already has it) and a value for every
// other free variable of the template. Values of the other variables are remembered per file and variable,
// so the next turn only needs Enter.

import * as vscode from 'vscode';
import { promptFacts } from './promptFacts';
import { fileNameOf, promptDefaults } from './promptTarget';

export interface TurnInputs {
  input: string;
  variables: Record<string, string>;
}

export async function askTurnInputs(document: vscode.TextDocument, remembered: vscode.Memento, givenInput?: string): Promise<TurnInputs | undefined> {
  const facts = promptFacts(document.uri.toString(), document.getText(), promptDefaults(document.uri));
  const title = `Run Chat Turn · ${fileNameOf(document.uri)}`;
  const input = givenInput ?? (await askHumanInput(title, facts.inputKey));
  if (input === undefined) return undefined;
  const variables: Record<string, string> = {};
  for (const name of facts.otherVariables) {
    const value = await askVariable(title, document.uri, name, remembered);
    if (value === undefined) return undefined;
    variables[name] = value;
  }
  return { input, variables };
}

function askHumanInput(title: string, inputKey: string | undefined): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title,
    prompt: inputKey ? `Human input, the value of {${inputKey}}` : 'Human input',
    placeHolder: 'Hi there my friend',
    ignoreFocusOut: true,
  });
}

async function askVariable(title: string, uri: vscode.Uri, name: string, remembered: vscode.Memento): Promise<string | undefined> {
  const key = `promptChain.variable ${uri.toString()} ${name}`;
  const value = await vscode.window.showInputBox({
    title,
    prompt: `Value of {${name}} for this turn`,
    value: remembered.get<string>(key) ?? '',
    ignoreFocusOut: true,
  });
  if (value !== undefined) await remembered.update(key, value);
  return value;
}
