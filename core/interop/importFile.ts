// Another tool's file -> `.prompt` text: the one dispatcher every host calls (the CLI's `import`, the
// server's importFile command). The first importer that recognizes the file reads it and the
// one writer (promptFile.ts) writes the `.prompt`, which it parses back: a file with parse errors, or one that
// reads as another prompt, is refused with the reason. The hosts then check the result with the language
// service (its rules: an ambiguous input key...), so it checks clean or says why.

import { continueImporter } from './import/continue';
import { dotpromptImporter } from './import/dotprompt';
import { langchainJsonImporter } from './import/langchainJson';
import { langchainYamlImporter } from './import/langchainYaml';
import { promptyImporter } from './import/prompty';
import { oneLine } from '../text/excerpt';
import { promptFileOf } from './promptFile';
import { InteropError, type Imported, type ImportFormat, type Importer, type ImportReading } from './types';

/** In the order they are asked; each recognizes only its own signature, the two other `.prompt` tools last. */
const importers: readonly Importer[] = [langchainJsonImporter, langchainYamlImporter, promptyImporter, dotpromptImporter, continueImporter];

/** The formats as a message names them. */
const formatNames: Readonly<Record<ImportFormat, string>> = {
  'langchain-json': 'LangChain JSON (toJSON() / dumpd / Hub, prompt.save() .json)',
  'langchain-yaml': 'LangChain YAML (prompt.save() .yaml)',
  prompty: 'Prompty (.prompty)',
  dotprompt: 'Dotprompt (.prompt)',
  continue: 'Continue (.prompt)',
};

export interface ImportOptions {
  /** Read the file as this format instead of recognizing it. */
  format?: ImportFormat;
}

/**
 * `text` (the file `fileName`, named in messages and used to recognize the format) as a `.prompt` file.
 * Throws InteropError('unrecognized-file') naming the formats tried, or the importer's 'invalid-source'.
 */
export function importFile(text: string, fileName: string, options: ImportOptions = {}): Imported {
  const importer = options.format === undefined ? recognizer(text, fileName) : importerFor(options.format);
  const { reading, promptText } = converted(importer, text, fileName);
  return { format: importer.format, text: promptText, notCarried: reading.notCarried.map(oneLine) };
}

export const importFormats: readonly ImportFormat[] = importers.map((importer) => importer.format);

export function isImportFormat(value: string): value is ImportFormat {
  return importers.some((importer) => importer.format === value);
}

function recognizer(text: string, fileName: string): Importer {
  const importer = importers.find((candidate) => candidate.recognizes(text, fileName));
  if (importer) return importer;
  const tried = importers.map((candidate) => formatNames[candidate.format]).join(', ');
  throw new InteropError('unrecognized-file', `${fileName}: not a file Prompt Chain can import; tried ${tried}`);
}

/** Read and written; the reader's or the writer's refusal names the file. */
function converted(importer: Importer, text: string, fileName: string): { reading: ImportReading; promptText: string } {
  try {
    const reading = importer.read(text, fileName);
    return { reading, promptText: promptFileOf(reading.prompt) };
  } catch (error) {
    throw error instanceof InteropError ? new InteropError(error.kind, `${fileName}: ${error.message}`) : error;
  }
}

function importerFor(format: ImportFormat): Importer {
  const importer = importers.find((candidate) => candidate.format === format);
  if (importer) return importer;
  throw new InteropError('unsupported-format', `cannot import from "${String(format)}": the formats are ${importFormats.join(', ')}`);
}
