// Finds the provenant program, checks its version, and runs `provenant lsp` as a language client.
import * as vscode from 'vscode';
import {
  LanguageClient,
  State,
  TextDocumentSyncKind,
  type LanguageClientOptions,
  type Middleware,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { checkProgram, type SidecarProblem } from './program';

/**
 * Owns the language client. Features send through `notify`/`request`, which do nothing while
 * the sidecar is not running: provenance is best effort and must never get in the user's way.
 * Called on the extension host's thread only.
 */
export class Sidecar implements vscode.Disposable {
  client: LanguageClient | undefined;
  problem: SidecarProblem | undefined;
  readonly output = vscode.window.createOutputChannel('provenant');
  private readonly trace = vscode.window.createOutputChannel('provenant trace');
  private readonly started = new vscode.EventEmitter<LanguageClient | undefined>();
  /** Fires after each start (the client) and stop (undefined). */
  readonly onDidChangeClient = this.started.event;
  private readonly middlewares: Middleware[] = [];

  constructor(private readonly extensionVersion: string) {}

  /** The configured program: a name looked up on PATH or an absolute path. */
  program(): string {
    const configured = vscode.workspace.getConfiguration('provenant').get<string>('path', 'provenant').trim();
    return configured || 'provenant';
  }

  /** Adds middleware; must be called before `start`. */
  use(middleware: Middleware): void {
    this.middlewares.push(middleware);
  }

  get running(): boolean {
    return this.client !== undefined && this.client.state === State.Running;
  }

  /** Whether the running server takes incremental didChange (so a change may be re-sent by hand). */
  get incrementalSync(): boolean {
    const sync = this.client?.initializeResult?.capabilities.textDocumentSync;
    const kind = typeof sync === 'number' ? sync : sync?.change;
    return kind === TextDocumentSyncKind.Incremental;
  }

  async start(): Promise<void> {
    const program = this.program();
    const check = await checkProgram(program);
    if ('problem' in check) {
      this.problem = check.problem;
      this.output.appendLine(check.problem.message);
      void vscode.window.showErrorMessage(check.problem.message, 'Open Settings').then((pick) => {
        if (pick) void vscode.commands.executeCommand('workbench.action.openSettings', 'provenant.path');
      });
      this.started.fire(undefined);
      return;
    }
    this.problem = undefined;
    this.output.appendLine(`using ${program} (${check.version})`);
    const serverOptions: ServerOptions = { command: program, args: ['lsp'] };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [{ scheme: 'file' }],
      outputChannel: this.output,
      traceOutputChannel: this.trace,
      initializationOptions: { client: 'vscode', clientVersion: this.extensionVersion },
      middleware: combine(this.middlewares),
    };
    // The id 'provenant' makes vscode-languageclient read the `provenant.trace.server` setting.
    const client = new LanguageClient('provenant', 'provenant', serverOptions, clientOptions);
    this.client = client;
    try {
      await client.start();
    } catch (e) {
      this.problem = { message: `provenant: the sidecar (${program} lsp) did not start: ${String(e)}` };
      this.output.appendLine(this.problem.message);
      this.client = undefined;
      this.started.fire(undefined);
      return;
    }
    this.started.fire(client);
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.started.fire(undefined);
    if (client) await client.stop();
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  notify(method: string, params: unknown): void {
    if (!this.running) return;
    this.client!.sendNotification(method, params).catch((e) => this.output.appendLine(`${method} failed: ${String(e)}`));
  }

  async request<T>(method: string, params: unknown): Promise<T | undefined> {
    if (!this.running) return undefined;
    try {
      return await this.client!.sendRequest<T>(method, params);
    } catch (e) {
      this.output.appendLine(`${method} failed: ${String(e)}`);
      return undefined;
    }
  }

  dispose(): void {
    void this.stop();
    this.started.dispose();
    this.output.dispose();
    this.trace.dispose();
  }
}

/** Chains middlewares that each implement a different hook (the first one that has it wins). */
function combine(list: Middleware[]): Middleware {
  const out: Middleware = {};
  for (const m of list) {
    for (const [key, value] of Object.entries(m)) {
      if (!(key in out)) (out as Record<string, unknown>)[key] = value;
    }
  }
  return out;
}
