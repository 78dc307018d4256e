/**
 * One child process of the local stack: started, watched until its port answers, stopped with the
 * signal it needs (Azurite must get SIGINT to flush its data), and restartable for fault tests.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

import { waitForPort } from './ports';

export interface ProcessSpec {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** The port that opens when the process is ready. */
  readonly port: number;
  readonly readyTimeoutMs?: number;
  readonly stopSignal?: NodeJS.Signals;
}

export class ManagedProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<number | null> = Promise.resolve(null);
  private stopping = false;

  constructor(
    readonly spec: ProcessSpec,
    private readonly log: (line: string) => void,
    /** Called when the process exits without being asked to. */
    private readonly onUnexpectedExit: (name: string, code: number | null) => void = () => undefined,
  ) {}

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  async start(): Promise<void> {
    if (this.running) return;
    const { name, command, args, env, cwd, port } = this.spec;
    this.stopping = false;
    const child = spawn(command, [...args], {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.exited = new Promise((resolve) => {
      // A command that cannot be spawned at all (missing, not executable) reports here, not by exiting.
      child.once('error', (err) => {
        this.log(`[${name}] could not start: ${err.message}`);
        if (!this.stopping) this.onUnexpectedExit(name, null);
        resolve(null);
      });
      child.once('exit', (code, signal) => {
        if (!this.stopping) {
          this.log(`[${name}] exited unexpectedly (${signal ?? `code ${code}`})`);
          this.onUnexpectedExit(name, code);
        }
        resolve(code);
      });
    });
    for (const stream of [child.stdout, child.stderr]) {
      if (stream) createInterface({ input: stream }).on('line', (line) => this.log(`[${name}] ${line}`));
    }
    await waitForPort(port, this.spec.readyTimeoutMs ?? 60_000, () => this.running).catch(async (err: Error) => {
      await this.stop();
      throw new Error(`${name} did not start: ${err.message}`);
    });
  }

  /** From now on an exit is expected (e.g. Ctrl-C reached the whole process group). */
  expectExit(): void {
    this.stopping = true;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    this.stopping = true;
    child.kill(this.spec.stopSignal ?? 'SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(killer);
  }

  /** Ends the process at once, as a crash or power cut would (fault tests). */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    this.stopping = true;
    child.kill('SIGKILL');
    await this.exited;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }
}
