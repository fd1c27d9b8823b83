// The fake API keys of an e2e run. After the run the harness looks for them in every file VS Code, the
// extension and the language server wrote (settings, logs, workspace storage, conversation memory): a key
// may live only in the environment and in VS Code's SecretStorage.

/** Handed to the extension host (and so to the language server) as OPENAI_API_KEY. */
export const environmentApiKey = 'sk-prompt-chain-e2e-from-environment';

/** Typed into "Prompt Chain: Set API Key" by the UI test; VS Code keeps it in SecretStorage. */
export const storedApiKey = 'sk-prompt-chain-e2e-from-secret-storage';
