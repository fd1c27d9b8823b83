// The server's in-process models: one pool for the server's lifetime (a model is loaded on its first
// turn and kept), created only when a turn runs locally, so a server whose turns go to an endpoint never
// loads the binding. A model file's first download is shown by the editor as a progress notification
// (window/workDoneProgress), llama.cpp's warnings go to the server's log.

import { basename } from 'node:path';
import type { Connection, WorkDoneProgressServerReporter } from 'vscode-languageserver';
import type { DownloadProgress } from '../../core/model/local/download';
import type { LocalModelPool } from '../../core/model/local/localModel';
import { createLocalPool } from '../../core/model/local/pool';

export class LocalModels {
  private pool?: LocalModelPool;
  private readonly downloads = new Map<string, Promise<WorkDoneProgressServerReporter | undefined>>();

  constructor(
    private readonly connection: Connection,
    private readonly canShowProgress: boolean,
  ) {}

  get(): LocalModelPool {
    this.pool ??= createLocalPool({
      env: process.env,
      onProgress: (progress) => this.showProgress(progress),
      log: (message) => this.connection.console.warn(`local model: ${message}`),
    });
    return this.pool;
  }

  async dispose(): Promise<void> {
    await this.pool?.dispose();
  }

  private showProgress(progress: DownloadProgress): void {
    if (!this.canShowProgress) return;
    const name = basename(progress.file);
    let reporter = this.downloads.get(progress.file);
    if (!reporter) {
      reporter = this.connection.window.createWorkDoneProgress().then(
        (created) => {
          created.begin(`Prompt Chain: downloading ${name}`, 0, sizeText(progress), false);
          return created;
        },
        () => undefined,
      );
      this.downloads.set(progress.file, reporter);
    }
    const done = progress.total !== undefined && progress.received >= progress.total;
    void reporter.then((created) => {
      if (!created) return;
      if (done) created.done();
      else created.report(progress.total ? Math.floor((progress.received / progress.total) * 100) : 0, sizeText(progress));
    });
    if (done) this.downloads.delete(progress.file);
  }
}

function sizeText(progress: DownloadProgress): string {
  const mb = (bytes: number) => (bytes / 1_000_000).toFixed(0);
  return progress.total ? `${mb(progress.received)} of ${mb(progress.total)} MB` : `${mb(progress.received)} MB`;
}
