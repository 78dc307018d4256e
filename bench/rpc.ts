/**
 * Request/response over the Node IPC channel, so the orchestrator can drive servers and load
 * generators that run in their own (pinned) processes.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';

type Handler = (params: never) => unknown;
export type Handlers = Record<string, Handler>;

interface Request {
  id: number;
  method: string;
  params: unknown;
}
interface Response {
  id: number;
  result?: unknown;
  error?: string;
}

/** In a child: answers the parent's calls with `handlers`; exits when the channel closes. */
export function serveRpc(handlers: Handlers): void {
  if (!process.send) throw new Error('serveRpc needs an IPC channel (spawn with stdio "ipc")');
  process.on('message', (raw: unknown) => {
    const request = raw as Request;
    const reply = (response: Response): void => {
      process.send?.(response);
    };
    const handler = handlers[request.method];
    if (!handler) {
      reply({ id: request.id, error: `unknown method ${request.method}` });
      return;
    }
    Promise.resolve()
      .then(() => handler(request.params as never))
      .then(
        (result) => reply({ id: request.id, result: result ?? null }),
        (error: unknown) => reply({ id: request.id, error: error instanceof Error ? error.stack : String(error) }),
      );
  });
  process.on('disconnect', () => process.exit(0));
  process.send({ id: 0, result: 'ready' });
}

export interface ChildOptions {
  /** The compiled script to run. */
  script: string;
  args?: string[];
  nodeArgs?: string[];
  /** CPU list for taskset (e.g. "0"); ignored when taskset is missing. */
  cpus?: string;
  /** Raise the soft file-descriptor limit to this (capped at the hard limit). */
  fileLimit?: number;
  env?: NodeJS.ProcessEnv;
}

let tasksetChecked: boolean | undefined;

export function hasTaskset(): boolean {
  tasksetChecked ??= spawnSync('taskset', ['-c', '0', 'true']).status === 0;
  return tasksetChecked;
}

/** A child process speaking RPC. */
export class RpcChild {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  readonly ready: Promise<void>;
  readonly exited: Promise<number | null>;

  private constructor(readonly process: ChildProcess) {
    let signalReady: () => void = () => undefined;
    let failReady: (e: Error) => void = () => undefined;
    this.ready = new Promise<void>((resolve, reject) => {
      signalReady = resolve;
      failReady = reject;
    });
    process.on('message', (raw: unknown) => {
      const response = raw as Response;
      if (response.id === 0) {
        signalReady();
        return;
      }
      const waiter = this.pending.get(response.id);
      if (!waiter) return;
      this.pending.delete(response.id);
      if (response.error !== undefined) waiter.reject(new Error(response.error));
      else waiter.resolve(response.result);
    });
    this.exited = new Promise((resolve) =>
      process.on('exit', (code) => {
        failReady(new Error(`child exited with ${code} before it was ready`));
        for (const waiter of this.pending.values()) waiter.reject(new Error(`child exited with ${code}`));
        this.pending.clear();
        resolve(code);
      }),
    );
  }

  /** Starts `node script` through bash (ulimit) and taskset (pinning). */
  static start(options: ChildOptions): RpcChild {
    const node = process.execPath;
    const pin = options.cpus !== undefined && hasTaskset() ? `taskset -c ${options.cpus} ` : '';
    const limit = options.fileLimit ?? 20000;
    const script = `ulimit -n ${limit} 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec ${pin}"$0" "$@"`;
    const args = [...(options.nodeArgs ?? []), options.script, ...(options.args ?? [])];
    const child = spawn('bash', ['-c', script, node, ...args], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, ...options.env },
    });
    return new RpcChild(child);
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  call<T>(method: string, params: unknown = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve, reject });
      this.process.send({ id, method, params } satisfies Request);
    });
  }

  async stop(): Promise<void> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    this.process.disconnect();
    const timer = setTimeout(() => this.process.kill('SIGKILL'), 5000);
    await this.exited;
    clearTimeout(timer);
  }
}
