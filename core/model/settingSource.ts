// Where a setting's value came from, named as the user would find it, so a message says what to change
// and a client can open that very setting. Pure data: the editor's setting, an environment variable, the
// CLI's flag, or nothing (the built-in default, named by the setting that would change it).

export interface SettingSource {
  kind: 'setting' | 'environment' | 'flag' | 'default';
  /** `promptChain.baseUrl`, `OPENAI_BASE_URL`, `--base-url`, `OPENAI_API_KEY`… */
  name: string;
}

export const environmentBaseUrl: SettingSource = { kind: 'environment', name: 'OPENAI_BASE_URL' };

/**
 * Every host reads the key from OPENAI_API_KEY: the VS Code client puts the key it keeps in SecretStorage
 * there when it starts the server, other editors and the CLI inherit it. A client offers "Set API Key".
 */
export const apiKeySource: SettingSource = { kind: 'environment', name: 'OPENAI_API_KEY' };

/** The source as a message names it: "the promptChain.baseUrl setting", "OPENAI_BASE_URL", "--base-url". */
export function sourcePhrase(source: SettingSource): string {
  switch (source.kind) {
    case 'environment':
    case 'flag':
      return source.name;
    case 'setting':
      return `the ${source.name} setting`;
    case 'default':
      return `the default; set ${looksLikeFlag(source.name) ? source.name : `the ${source.name} setting`} to change it`;
  }
}

/**
 * Where a value in use came from, as a clause after it: "from OPENAI_BASE_URL", "from the promptChain.baseUrl
 * setting", "the default; set the promptChain.baseUrl setting to change it" (the status bar's tooltip).
 */
export function sourceClause(source: SettingSource): string {
  if (source.kind !== 'default') return `from ${sourcePhrase(source)}`;
  return source.name ? sourcePhrase(source) : 'the default';
}

function looksLikeFlag(name: string): boolean {
  return name.startsWith('-') || /^[A-Z][A-Z0-9_]*$/.test(name);
}
