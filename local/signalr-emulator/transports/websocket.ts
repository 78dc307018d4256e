/** WebSocket transport: text frames for JSON, binary frames for MessagePack. */
import type { Duplex } from 'node:stream';

import WebSocket from 'ws';

import type { ClientConnection, Transport } from '../connection';
import type { HubProtocol, Outbound } from '../hub-protocol';

/** How long a polite close may wait for the peer's close frame before the socket is cut. */
const CLOSE_GRACE_MS = 2000;
/** A client this far behind is not reading; cutting it keeps one slow tab from eating memory. */
const MAX_BUFFERED_BYTES = 32 * 1024 * 1024;

interface FrameOptions {
  fin: boolean;
  rsv1: boolean;
  opcode: number;
  mask: boolean;
  readOnly: boolean;
}
/** ws's own framing (`Sender.frame`, public in ws but missing from @types/ws). */
const frameParts = (
  WebSocket as unknown as { Sender?: { frame?(this: void, data: Buffer, options: FrameOptions): Buffer[] } }
).Sender?.frame;

/** A whole unmasked, uncompressed, final WebSocket frame: header and payload in one buffer. */
function wholeFrame(bytes: Buffer, binary: boolean): Buffer {
  const parts = (frameParts as NonNullable<typeof frameParts>)(bytes, {
    fin: true,
    rsv1: false,
    opcode: binary ? 2 : 1,
    mask: false,
    readOnly: false,
  });
  return Buffer.concat(parts);
}

export class WebSocketTransport implements Transport {
  readonly name = 'WebSockets' as const;
  readonly supportsBinary = true;
  readonly inherentKeepAlive = false;
  /**
   * The TCP socket under `socket`. A broadcast is framed once (Outbound.derived) and that frame is
   * written to every recipient's TCP socket, instead of ws framing it again for each one: safe
   * because compression is off, so ws never holds frames back, and frames are written whole and
   * in order. Undefined (falls back to ws.send) if a ws version stops exposing it.
   */
  private readonly tcp: Duplex | undefined;

  constructor(
    private readonly socket: WebSocket,
    connection: ClientConnection,
  ) {
    const tcp = (socket as unknown as { _socket?: Duplex })._socket;
    this.tcp = frameParts && tcp && typeof tcp.write === 'function' ? tcp : undefined;
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
    const tcp = this.tcp;
    if (!tcp) {
      if (this.socket.bufferedAmount > MAX_BUFFERED_BYTES) this.socket.terminate();
      else this.socket.send(message.bytes(protocol), { binary: protocol.binary });
      return;
    }
    if (tcp.writableLength > MAX_BUFFERED_BYTES) {
      this.socket.terminate();
      return;
    }
    tcp.write(message.derived(`ws:${protocol.name}`, protocol, (bytes) => wholeFrame(bytes, protocol.binary)));
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
