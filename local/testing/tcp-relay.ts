/**
 * A loopback TCP relay for fault tests: everything sent to its port goes to the target port, until
 * `cutOff()` drops every open connection and refuses new ones (as when the target goes away);
 * `restore()` listens on the same port again.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface TcpRelay {
  readonly port: number;
  cutOff(): Promise<void>;
  restore(): Promise<void>;
  stop(): Promise<void>;
}

export async function startTcpRelay(targetPort: number, port = 0): Promise<TcpRelay> {
  const sockets = new Set<Socket>();
  const relay: Server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  const listen = (on: number) =>
    new Promise<number>((resolve, reject) => {
      relay.once('error', reject);
      relay.listen(on, '127.0.0.1', () => {
        relay.off('error', reject);
        const address = relay.address();
        resolve(typeof address === 'object' && address ? address.port : on);
      });
    });
  const close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      if (!relay.listening) return resolve();
      relay.close(() => resolve());
    });
  const bound = await listen(port);
  return { port: bound, cutOff: close, restore: async () => void (await listen(bound)), stop: close };
}
