/**
 * System A, the limit on this machine: a plain `ws` server (compression off) that frames each
 * broadcast once and writes the same frame to every socket. Broadcasts come in as
 * `POST /broadcast` with the payload as the body, the same kind of hop the emulator's REST API is.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

import WebSocket, { WebSocketServer } from 'ws';

export interface RawServer {
  port: number;
  url: string;
  connections(): number;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

interface FrameOptions {
  fin: boolean;
  rsv1: boolean;
  opcode: number;
  mask: boolean;
  readOnly: boolean;
}
/** `Sender.frame` is public in ws but missing from @types/ws. */
const frame = (WebSocket as unknown as { Sender: { frame(this: void, data: Buffer, options: FrameOptions): Buffer[] } })
  .Sender.frame;

/** The socket under a ws WebSocket (ws keeps it as `_socket`). */
function socketOf(ws: WebSocket): Duplex {
  return (ws as unknown as { _socket: Duplex })._socket;
}

export function preframe(payload: Buffer): Buffer {
  return Buffer.concat(frame(payload, { fin: true, rsv1: false, opcode: 1, mask: false, readOnly: false }));
}

export async function startRawServer(port = 0): Promise<RawServer> {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, clientTracking: true });
  const server = http.createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/broadcast') {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) req.destroy();
      else chunks.push(chunk);
    });
    req.on('end', () => {
      const bytes = preframe(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
      for (const client of wss.clients) {
        if (client.readyState === WebSocket.OPEN) socketOf(client).write(bytes);
      }
      res.writeHead(202, { 'content-length': '0' }).end();
    });
  });
  server.keepAliveTimeout = 60_000;
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => undefined);
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('error', () => undefined);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const actual = (server.address() as AddressInfo).port;
  return {
    port: actual,
    url: `http://127.0.0.1:${actual}`,
    connections: () => wss.clients.size,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
