/** WebSocket transport: text frames for JSON, binary frames for MessagePack. */
import WebSocket from 'ws';
import type { HubProtocol, Outbound } from '../hub-protocol';
import type { ClientConnection, Transport } from '../connection';

/** How long a polite close may wait for the peer's close frame before the socket is cut. */
const CLOSE_GRACE_MS = 2000;
/** A client this far behind is not reading; cutting it keeps one slow tab from eating memory. */
const MAX_BUFFERED_BYTES = 32 * 1024 * 1024;

export class WebSocketTransport implements Transport {
  readonly name = 'WebSockets' as const;
  readonly supportsBinary = true;
  readonly inherentKeepAlive = false;

  constructor(
    private readonly socket: WebSocket,
    connection: ClientConnection,
  ) {
    socket.on('message', (data: WebSocket.RawData) => {
      try {
        connection.receive(toBuffer(data));
      } catch {
        // An unexpected failure handling one client's bytes must cost that client, not the process.
        connection.abort('Internal error while processing a message.');
        socket.terminate();
      }
    });
    socket.on('close', () => connection.abort());
    // 'close' always follows 'error' (including maxPayload violations), which is where we react.
    socket.on('error', () => undefined);
  }

  sendHandshake(bytes: Buffer): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(bytes, { binary: false });
  }

  send(message: Outbound, protocol: HubProtocol): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    if (this.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.socket.terminate();
      return;
    }
    this.socket.send(message.bytes(protocol), { binary: protocol.binary });
  }

  close(): void {
    if (this.socket.readyState !== WebSocket.OPEN && this.socket.readyState !== WebSocket.CONNECTING) return;
    this.socket.close(1000);
    setTimeout(() => this.socket.terminate(), CLOSE_GRACE_MS).unref();
  }
}

function toBuffer(data: WebSocket.RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
