/** A load generator in its own process, driven over IPC by run.ts. */
import { type ConnectParams, LoadGenerator, type SendParams } from './generator';
import { serveRpc } from './rpc';

const generator = new LoadGenerator();
serveRpc({
  connect: (p: ConnectParams) => generator.connect(p),
  login: (p: { url: string; count: number; prefix: string }) => generator.login(p),
  begin: (p: { phase: number }) => generator.begin(p.phase),
  progress: () => generator.progress(),
  end: () => generator.end(),
  send: (p: SendParams) => generator.send(p),
  openClients: () => generator.openClients(),
  closeAll: () => generator.closeAll(),
});
