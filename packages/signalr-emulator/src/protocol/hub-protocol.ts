/**
 * SignalR hub protocol framing (JSON and MessagePack): the handshake, parsing what clients send
 * and framing what the service sends. Everything here is pure; transports and connections use it.
 */
import { decode, encode } from '@msgpack/msgpack';

export const RECORD_SEPARATOR = 0x1e;
/** One shared empty buffer: every idle connection's parser would otherwise hold its own. */
const EMPTY = Buffer.alloc(0);
const RECORD_SEPARATOR_CHAR = '\u001e';

export const MessageType = {
  Invocation: 1,
  StreamItem: 2,
  Completion: 3,
  StreamInvocation: 4,
  CancelInvocation: 5,
  Ping: 6,
  Close: 7,
  Ack: 8,
  Sequence: 9,
} as const;

/** Completion result kinds in the MessagePack encoding. */
const MSGPACK_RESULT_ERROR = 1;
const MSGPACK_RESULT_VOID = 2;
const MSGPACK_RESULT_VALUE = 3;

/** Largest VarInt length prefix: 5 bytes, 2 GB (HubProtocol.md). */
const MAX_VARINT_BYTES = 5;

export type ProtocolName = 'json' | 'messagepack';

/** A message received from a client, with the unframed bytes the upstream webhook is sent. */
export interface InboundMessage {
  readonly type: number;
  readonly invocationId?: string;
  readonly target?: string;
  readonly arguments?: unknown[];
  readonly error?: string;
  /** The message without its framing (no 0x1E, no VarInt prefix). */
  readonly raw: Buffer;
}

export class ProtocolError extends Error {}

export interface MessageParser {
  /** Feeds received bytes; returns the complete messages, keeping a partial tail for later. */
  push(data: Buffer): InboundMessage[];
  /** True while part of a message is buffered, waiting for the rest. */
  readonly holdsPartial: boolean;
}

export interface HubProtocol {
  readonly name: ProtocolName;
  /** True when frames must travel as binary (WebSocket binary frames, no SSE). */
  readonly binary: boolean;
  readonly contentType: string;
  createParser(maxMessageBytes: number): MessageParser;
  frameInvocation(target: string, args: readonly unknown[]): Buffer;
  frameCompletion(invocationId: string, outcome: { error?: string; result?: unknown; hasResult?: boolean }): Buffer;
  frameClose(error: string | undefined, allowReconnect: boolean): Buffer;
  readonly ping: Buffer;
}

// ---------------------------------------------------------------- handshake

export interface HandshakeRequest {
  readonly protocol: string;
  readonly version: number;
}

/** Splits the handshake (always JSON + 0x1E) from any bytes that follow it in the same frame. */
export class HandshakeReader {
  private buffered: Buffer = EMPTY;

  constructor(private readonly maxBytes: number) {}

  /** Returns undefined until the separator arrives; throws ProtocolError on garbage. */
  push(data: Buffer): { request: HandshakeRequest; rest: Buffer } | undefined {
    this.buffered = this.buffered.length === 0 ? data : Buffer.concat([this.buffered, data]);
    const end = this.buffered.indexOf(RECORD_SEPARATOR);
    if (end < 0) {
      if (this.buffered.length > this.maxBytes) throw new ProtocolError('Handshake message is too large.');
      return undefined;
    }
    const text = this.buffered.subarray(0, end).toString('utf8');
    const rest = this.buffered.subarray(end + 1);
    this.buffered = EMPTY;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new ProtocolError('Handshake request is not valid JSON.');
    }
    if (!isRecord(value) || typeof value['protocol'] !== 'string' || typeof value['version'] !== 'number') {
      throw new ProtocolError('Handshake request must have a string protocol and a numeric version.');
    }
    return { request: { protocol: value['protocol'], version: value['version'] }, rest };
  }
}

export const HANDSHAKE_OK = Buffer.from('{}' + RECORD_SEPARATOR_CHAR);

export function handshakeError(message: string): Buffer {
  return Buffer.from(JSON.stringify({ error: message }) + RECORD_SEPARATOR_CHAR);
}

// ---------------------------------------------------------------- JSON

class JsonParser implements MessageParser {
  private pending: Buffer = EMPTY;

  constructor(private readonly maxMessageBytes: number) {}

  get holdsPartial(): boolean {
    return this.pending.length > 0;
  }

  push(data: Buffer): InboundMessage[] {
    const buffer = this.pending.length === 0 ? data : Buffer.concat([this.pending, data]);
    const messages: InboundMessage[] = [];
    let start = 0;
    for (;;) {
      const end = buffer.indexOf(RECORD_SEPARATOR, start);
      if (end < 0) break;
      messages.push(parseJsonRecord(buffer.subarray(start, end)));
      start = end + 1;
    }
    this.pending = start === buffer.length ? EMPTY : Buffer.from(buffer.subarray(start));
    if (this.pending.length > this.maxMessageBytes) throw new ProtocolError('Message is larger than the limit.');
    return messages;
  }
}

function parseJsonRecord(raw: Buffer): InboundMessage {
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new ProtocolError('Message is not valid JSON.');
  }
  if (!isRecord(value) || typeof value['type'] !== 'number') {
    throw new ProtocolError('Message must be a JSON object with a numeric type.');
  }
  return checkShape({
    type: value['type'],
    invocationId: value['invocationId'] as string | undefined,
    target: value['target'] as string | undefined,
    arguments: value['arguments'] as unknown[] | undefined,
    error: value['error'] as string | undefined,
    raw: Buffer.from(raw),
  });
}

export const jsonProtocol: HubProtocol = {
  name: 'json',
  binary: false,
  contentType: 'application/json',
  createParser: (max) => new JsonParser(max),
  frameInvocation: (target, args) => jsonFrame({ type: MessageType.Invocation, target, arguments: args }),
  frameCompletion: (invocationId, outcome) =>
    jsonFrame(
      outcome.error !== undefined
        ? { type: MessageType.Completion, invocationId, error: outcome.error }
        : outcome.hasResult
          ? { type: MessageType.Completion, invocationId, result: outcome.result }
          : { type: MessageType.Completion, invocationId },
    ),
  frameClose: (error, allowReconnect) =>
    jsonFrame({
      type: MessageType.Close,
      ...(error !== undefined ? { error } : {}),
      ...(allowReconnect ? { allowReconnect } : {}),
    }),
  ping: Buffer.from(`{"type":${MessageType.Ping}}${RECORD_SEPARATOR_CHAR}`),
};

function jsonFrame(message: object): Buffer {
  return Buffer.from(JSON.stringify(message) + RECORD_SEPARATOR_CHAR);
}

// ---------------------------------------------------------------- MessagePack

class MessagePackParser implements MessageParser {
  private pending: Buffer = EMPTY;

  constructor(private readonly maxMessageBytes: number) {}

  get holdsPartial(): boolean {
    return this.pending.length > 0;
  }

  push(data: Buffer): InboundMessage[] {
    let buffer = this.pending.length === 0 ? data : Buffer.concat([this.pending, data]);
    const messages: InboundMessage[] = [];
    for (;;) {
      const header = readVarInt(buffer);
      if (!header) break;
      if (header.value > this.maxMessageBytes) throw new ProtocolError('Message is larger than the limit.');
      if (buffer.length < header.size + header.value) break;
      const raw = buffer.subarray(header.size, header.size + header.value);
      messages.push(parseMessagePackMessage(raw));
      buffer = buffer.subarray(header.size + header.value);
    }
    this.pending = buffer.length === 0 ? EMPTY : Buffer.from(buffer);
    return messages;
  }
}

function parseMessagePackMessage(raw: Buffer): InboundMessage {
  if (raw.length === 0) throw new ProtocolError('Empty MessagePack message.');
  let value: unknown;
  try {
    value = decode(raw);
  } catch {
    throw new ProtocolError('Message is not valid MessagePack.');
  }
  if (!Array.isArray(value) || typeof value[0] !== 'number') {
    throw new ProtocolError('MessagePack message must be an array starting with its type.');
  }
  const type = value[0];
  // [1, headers, invocationId, target, arguments, streamIds?]
  if (type === MessageType.Invocation || type === MessageType.StreamInvocation) {
    return checkShape({
      type,
      invocationId: (value[2] ?? undefined) as string | undefined,
      target: value[3] as string | undefined,
      arguments: value[4] as unknown[] | undefined,
      raw: Buffer.from(raw),
    });
  }
  if (type === MessageType.Close) {
    return { type, error: (value[1] ?? undefined) as string | undefined, raw: Buffer.from(raw) };
  }
  return { type, raw: Buffer.from(raw) };
}

/** Reads a VarInt length prefix; undefined while incomplete. */
export function readVarInt(buffer: Buffer): { value: number; size: number } | undefined {
  let value = 0;
  for (let i = 0; i < MAX_VARINT_BYTES; i++) {
    if (i >= buffer.length) return undefined;
    const byte = buffer[i];
    value += (byte & 0x7f) * 2 ** (7 * i);
    if ((byte & 0x80) === 0) return { value, size: i + 1 };
  }
  throw new ProtocolError('Message length prefix is too long.');
}

export function writeVarInt(length: number): Buffer {
  const bytes: number[] = [];
  let rest = length;
  do {
    let byte = rest & 0x7f;
    rest = Math.floor(rest / 128);
    if (rest > 0) byte |= 0x80;
    bytes.push(byte);
  } while (rest > 0);
  return Buffer.from(bytes);
}

function msgpackFrame(message: unknown[]): Buffer {
  const body = encode(message);
  return Buffer.concat([writeVarInt(body.length), body]);
}

export const messagePackProtocol: HubProtocol = {
  name: 'messagepack',
  binary: true,
  contentType: 'application/x-msgpack',
  createParser: (max) => new MessagePackParser(max),
  frameInvocation: (target, args) => msgpackFrame([MessageType.Invocation, {}, null, target, args]),
  frameCompletion: (invocationId, outcome) =>
    msgpackFrame(
      outcome.error !== undefined
        ? [MessageType.Completion, {}, invocationId, MSGPACK_RESULT_ERROR, outcome.error]
        : outcome.hasResult
          ? [MessageType.Completion, {}, invocationId, MSGPACK_RESULT_VALUE, outcome.result]
          : [MessageType.Completion, {}, invocationId, MSGPACK_RESULT_VOID],
    ),
  frameClose: (error, allowReconnect) => msgpackFrame([MessageType.Close, error ?? null, allowReconnect]),
  ping: Buffer.from([0x02, 0x91, MessageType.Ping]),
};

export const PROTOCOLS: Record<ProtocolName, HubProtocol> = { json: jsonProtocol, messagepack: messagePackProtocol };

/** Version 2 adds stateful-reconnect messages only; we never negotiate that, but accept the number. */
export const MAX_PROTOCOL_VERSION = 2;

// ---------------------------------------------------------------- outbound frames

/**
 * One message to many recipients: framed at most once per protocol and shared by every socket,
 * so a broadcast never serialises per recipient.
 */
export class Outbound {
  private readonly frames = new Map<ProtocolName, Buffer>();
  private sseFrame?: Buffer;
  /** The whole WebSocket frame of the JSON / MessagePack frame: the broadcast hot path, so fields. */
  private wsText?: Buffer;
  private wsBinary?: Buffer;

  private constructor(
    private readonly build: ((protocol: HubProtocol) => Buffer) | undefined,
    fixed?: { protocol: ProtocolName; bytes: Buffer },
  ) {
    if (fixed) this.frames.set(fixed.protocol, fixed.bytes);
  }

  /** The keep-alive ping: one immutable message shared by every connection and every tick. */
  static readonly ping = new Outbound((p) => p.ping);

  static invocation(target: string, args: readonly unknown[]): Outbound {
    return new Outbound((p) => p.frameInvocation(target, args));
  }

  static of(build: (protocol: HubProtocol) => Buffer): Outbound {
    return new Outbound(build);
  }

  /** Bytes already framed for one protocol (an upstream's Completion, a handshake reply). */
  static raw(protocol: HubProtocol, bytes: Buffer): Outbound {
    return new Outbound(undefined, { protocol: protocol.name, bytes });
  }

  bytes(protocol: HubProtocol): Buffer {
    let frame = this.frames.get(protocol.name);
    if (!frame) {
      if (!this.build) throw new Error(`No ${protocol.name} frame for this message`);
      frame = this.build(protocol);
      this.frames.set(protocol.name, frame);
    }
    return frame;
  }

  /**
   * The WebSocket frame (header and payload) for `protocol`, made by `wrap` once per message and
   * shared by every recipient; nothing is allocated per recipient.
   */
  wsFrame(protocol: HubProtocol, wrap: (bytes: Buffer, binary: boolean) => Buffer): Buffer {
    if (protocol.binary) return (this.wsBinary ??= wrap(this.bytes(protocol), true));
    return (this.wsText ??= wrap(this.bytes(protocol), false));
  }

  /** The text frame as Server-Sent Events `data:` lines (SSE carries text protocols only). */
  sse(protocol: HubProtocol): Buffer {
    if (!this.sseFrame) {
      const lines = this.bytes(protocol).toString('utf8').split(/\r?\n/);
      this.sseFrame = Buffer.from(lines.map((line) => `data: ${line}\r\n`).join('') + '\r\n');
    }
    return this.sseFrame;
  }
}

// ---------------------------------------------------------------- helpers

function checkShape(message: InboundMessage): InboundMessage {
  if (message.type === MessageType.Invocation || message.type === MessageType.StreamInvocation) {
    if (typeof message.target !== 'string' || message.target === '') {
      throw new ProtocolError('Invocation message is missing its target.');
    }
    if (message.invocationId !== undefined && typeof message.invocationId !== 'string') {
      throw new ProtocolError('Invocation id must be a string.');
    }
    if (message.arguments !== undefined && !Array.isArray(message.arguments)) {
      throw new ProtocolError('Invocation arguments must be an array.');
    }
  }
  return message;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
