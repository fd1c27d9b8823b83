// promptChain.saveAsTest { uri, variables?, name? } -> SaveAsTestResult: the file's stored conversation as a
// conversation of the test file beside it, a `snapshot: true` per turn and its replies as the baseline, so
// the test passes as saved (core/testing/conversationToTest.ts). Read from the editor when the test file is
// open, else from disk; nothing is written here: the client writes both files and opens the test.

import { stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { conversationToTest } from '../../../core/testing/conversationToTest';
import { snapshotPathOf } from '../../../core/testing/snapshots';
import { testFileNameFor } from '../../../core/testing/testPaths';
import { SNAPSHOT_FOLDER } from '../../../core/testing/types';
import { readPromptFile } from '../../../core/files/readPromptFile';
import { oneLine } from '../../../core/text/excerpt';
import type { Turn } from '../../../core/chain/types';
import type { SaveAsTestParams, SaveAsTestResult } from '../protocol';
import type { PromptServer } from '../server';
import { engineFailure } from '../failures';
import { filePathOf } from '../workspaceRoots';
import { argumentObject, optionalString, optionalStringMap, requiredString } from './arguments';
import { conversationOf, fileNameOf, loadPromptSource, requestFailed } from './promptSource';

const defaultNameChars = 40;

export async function saveAsTestCommand(server: PromptServer, command: string, args: unknown[] | undefined): Promise<SaveAsTestResult> {
  const params = saveParams(command, args);
  const promptPath = filePathOf(params.uri);
  if (promptPath === undefined) throw requestFailed(`${params.uri} is not a file on disk: save it first, so that its test file can be written beside it.`, { kind: 'file', reason: 'not-a-file' });
  const source = await loadPromptSource(server, params.uri);
  const { conversation } = await conversationOf(server, source);
  const entries = await conversation.load();
  const firstTurn = entries.find((entry): entry is Turn => !('lone' in entry));
  if (!firstTurn) throw requestFailed(`${fileNameOf(params.uri)} has no stored turn to save as a test: send a message first.`, { kind: 'memory', reason: 'nothing-stored' });
  const testFilePath = join(dirname(promptPath), testFileNameFor(basename(promptPath)));
  const testUri = siblingUri(params.uri, testFileNameFor(basename(promptPath)));
  const snapshotPath = snapshotPathOf(testFilePath);
  const snapshotUri = siblingUri(params.uri, SNAPSHOT_FOLDER, basename(snapshotPath));
  const testFileText = server.documents.get(testUri)?.getText() ?? (await readIfThere(testFilePath));
  const snapshotText = server.documents.get(snapshotUri)?.getText() ?? (await readIfThere(snapshotPath));
  try {
    const saved = conversationToTest({
      promptPath,
      testFilePath,
      ...(testFileText !== undefined && { testFileText }),
      snapshotPath,
      ...(snapshotText !== undefined && { snapshotText }),
      entries,
      vars: params.variables ?? {},
      model: source.config.model ?? '',
      name: params.name ?? nameOf(firstTurn.input),
    });
    return {
      testFile: { uri: testUri, text: saved.testFileText, exists: testFileText !== undefined },
      snapshotFile: { uri: snapshotUri, text: saved.snapshotText },
      conversation: saved.conversation,
      turns: saved.turns,
      leftOut: saved.leftOut,
    };
  } catch (error) {
    throw engineFailure(error);
  }
}

function saveParams(command: string, args: unknown[] | undefined): SaveAsTestParams {
  const object = argumentObject(command, args);
  const variables = optionalStringMap(command, object, 'variables');
  const name = optionalString(command, object, 'name');
  return { uri: requiredString(command, object, 'uri'), ...(variables && { variables }), ...(name !== undefined && name.trim() !== '' && { name }) };
}

/** The first input, as a name: one line, at most 40 characters. */
function nameOf(input: string): string {
  const line = oneLine(input).trim();
  return line.length <= defaultNameChars ? line || 'saved conversation' : `${line.slice(0, defaultNameChars - 1).trimEnd()}…`;
}

/** The file's text; undefined when there is none (any other failure to read it is the user's to see). */
async function readIfThere(path: string): Promise<string | undefined> {
  const there = await stat(path).then(
    () => true,
    (error: NodeJS.ErrnoException) => error.code !== 'ENOENT',
  );
  return there ? readPromptFile(path).catch((error: unknown) => Promise.reject(engineFailure(error))) : undefined;
}

/** The uri of a path beside the prompt, given as its folder and file names. */
function siblingUri(uri: string, ...names: string[]): string {
  const slash = uri.lastIndexOf('/');
  return `${uri.slice(0, slash + 1)}${names.map(encodeURIComponent).join('/')}`;
}
