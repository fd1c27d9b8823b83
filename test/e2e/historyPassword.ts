// The password the suite writes into a history store's URL in the user settings (suite/historyStores.test.ts);
// the extension moves it to SecretStorage, and the harness (run.mjs) then looks for it in every file of the run.
export const historyStorePassword = 'e2e-history-pw-4711';
