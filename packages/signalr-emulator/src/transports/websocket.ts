/** WebSocket transport: text frames for JSON, binary frames for MessagePack. */
import type { Duplex } from 'node:stream';

import WebSocket from 'ws';

import type { HubProtocol, Outbound } from '../protocol/hub-protocol';
import { slowClientError, type Transport, type TransportPeer } from './transport';

/** How long a polite close may wait for the peer's close frame before the socket is cut. */
const CLOSE_GRACE_MS = 2000;

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

/**
 * The server's WebSocket class (WebSocketServer's `WebSocket` option): ws's own with a slot for
 * its transport, declared so that it lives inside the object; a property added later would cost
 * each connection a separate property array.
 */
export class HubWebSocket extends WebSocket {
  transport: WebSocketTransport | undefined = undefined;
}

function onMessage(this: WebSocket, data: WebSocket.RawData): void {
  (this as Partial<HubWebSocket>).transport?.received(data);
}

function onClose(this: WebSocket): void {
  (this as Partial<HubWebSocket>).transport?.closed();
}

function ignore(): void {
  // Errors are followed by 'close'.
}

export class WebSocketTransport implements Transport {
  // Constants as getters on the prototype: instance fields would cost every connection 24 bytes.
  get name(): 'WebSockets' {
    return 'WebSockets';
  }
  get supportsBinary(): boolean {
    return true;
  }
  get inherentKeepAlive(): boolean {
    return false;
  }
  /**
   * The TCP socket under `socket`. A broadcast is framed once (Outbound.wsFrame) and that frame is
   * written to every recipient's TCP socket, instead of ws framing it again for each one: safe
   * because compression is off, so ws never holds frames back, and frames are written whole and
   * in order. Undefined (falls back to ws.send) if a ws version stops exposing it.
   */
  private readonly tcp: Duplex | undefined;

  constructor(
    private readonly socket: WebSocket,
    private readonly connection: TransportPeer,
  ) {
    const tcp = (socket as unknown as { _socket?: Duplex })._socket;
    this.tcp = frameParts && tcp && typeof tcp.write === 'function' ? tcp : undefined;
    // Shared listeners that find their transport on the socket: no closures (and no context they
    // would keep alive) per connection; idle connections are most of the memory.
    // A plain ws WebSocket (tests) takes the property too, only less compactly.
    (socket as Partial<HubWebSocket>).transport = this;
    socket.on('message', onMessage);
    socket.on('close', onClose);
    // 'close' always follows 'error' (including maxPayload violations), which is where we react.
    socket.on('error', ignore);
  }

  /** Bytes from the client. */
  received(data: WebSocket.RawData): void {
    try {
      this.connection.receive(toBuffer(data));
      releaseReceiveQueue(this.socket);
    } catch {
      // An unexpected failure handling one client's bytes must cost that client, not the process.
      this.connection.abort('Internal error while processing a message.');
      this.socket.terminate();
    }
  }

  closed(): void {
    this.connection.abort();
  }

  sendHandshake(bytes: Buffer): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(bytes, { binary: false });
  }

  /**
   * Writes the message or, when the client is more than its bound behind (maxBufferedBytes of
   * unsent bytes), cuts it: the socket is terminated and the connection aborted with the reason,
   * so the client sees its connection drop and reconnects. Never a silent skip.
   */
  send(message: Outbound, protocol: HubProtocol): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    const tcp = this.tcp;
    if (!tcp) {
      const unsent = this.socket.bufferedAmount;
      if (unsent > 0 && unsent > this.connection.maxBufferedBytes) this.cut(unsent);
      else this.socket.send(message.bytes(protocol), { binary: protocol.binary });
      return;
    }
    // The bound is only looked up when bytes are waiting: a client that keeps up costs no read of it.
    const unsent = tcp.writableLength;
    if (unsent > 0 && unsent > this.connection.maxBufferedBytes) {
      this.cut(unsent);
      return;
    }
    tcp.write(message.wsFrame(protocol, wholeFrame));
  }

  private cut(unsent: number): void {
    this.socket.terminate();
    this.connection.abort(slowClientError(unsent, this.connection.maxBufferedBytes));
  }

  close(): void {
    if (this.socket.readyState !== WebSocket.OPEN && this.socket.readyState !== WebSocket.CONNECTING) return;
    this.socket.close(1000);
    setTimeout(terminate, CLOSE_GRACE_MS, this.socket).unref();
  }
}

/**
 * ws's Receiver queues incoming chunks in an array it empties with shift(), which keeps the grown
 * backing store (about 150 bytes) for the life of every connection that ever sent a frame. When
 * the queue is empty it is swapped for a fresh array; only an idle connection's memory changes.
 */
function releaseReceiveQueue(socket: WebSocket): void {
  const receiver = (socket as unknown as { _receiver?: { _buffers?: unknown } })._receiver;
  if (receiver && Array.isArray(receiver._buffers) && receiver._buffers.length === 0) receiver._buffers = [];
}

function terminate(socket: WebSocket): void {
  socket.terminate();
}

function toBuffer(data: WebSocket.RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
