/**
 * Long Polling transport: frames queue up until the client's next GET takes them. The first GET
 * only confirms the connection (200, empty); an idle poll ends with 200 and no body after the
 * poll timeout; once the connection is closed, polls get what is left and then 204. A client that
 * stops polling while messages keep coming is cut once the queue passes its bound
 * (maxBufferedBytes): the queue is dropped and its next poll gets 204, so it reconnects.
 */
import type { ServerResponse } from 'node:http';

import type { HubProtocol, Outbound } from '../protocol/hub-protocol';
import { slowClientError, type Transport, type TransportPeer } from './transport';

export class LongPollingTransport implements Transport {
  readonly name = 'LongPolling' as const;
  readonly supportsBinary = true;
  readonly inherentKeepAlive = true;

  private readonly queue: Buffer[] = [];
  /** Bytes in `queue`. */
  private queued = 0;
  private poll?: { response: ServerResponse; headers: Record<string, string>; timer: NodeJS.Timeout };
  private closed = false;

  constructor(
    private readonly pollTimeoutMs: number,
    private readonly connection: TransportPeer,
  ) {}

  /** The first GET: answered at once so the client knows the connection exists. */
  confirm(response: ServerResponse, headers: Record<string, string>): void {
    respond(response, 200, headers);
  }

  handlePoll(response: ServerResponse, headers: Record<string, string>): void {
    // A newer poll replaces an open one (TransportProtocols.md); the old one ends without data.
    if (this.poll) this.finishPoll(204);
    if (this.queue.length > 0) {
      respond(response, 200, headers, this.drain());
      return;
    }
    if (this.closed) {
      respond(response, 204, headers);
      return;
    }
    const timer = setTimeout(() => this.finishPoll(200), this.pollTimeoutMs);
    timer.unref();
    this.poll = { response, headers, timer };
    response.on('close', () => {
      if (this.poll?.response === response) {
        clearTimeout(this.poll.timer);
        this.poll = undefined;
      }
    });
  }

  isActive(): boolean {
    return this.poll !== undefined;
  }

  sendHandshake(bytes: Buffer): void {
    this.enqueue(bytes);
  }

  send(message: Outbound, protocol: HubProtocol): void {
    this.enqueue(message.bytes(protocol));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.poll) this.finishPoll(this.queue.length > 0 ? 200 : 204);
  }

  private enqueue(bytes: Buffer): void {
    if (this.closed) return;
    if (this.queued + bytes.length > this.connection.maxBufferedBytes) {
      this.cut(this.queued + bytes.length);
      return;
    }
    this.queue.push(bytes);
    this.queued += bytes.length;
    if (this.poll) this.finishPoll(200);
  }

  /** Too far behind: what is queued is dropped and the connection ends; the next poll gets 204. */
  private cut(unsent: number): void {
    this.queue.length = 0;
    this.queued = 0;
    this.close();
    this.connection.abort(slowClientError(unsent, this.connection.maxBufferedBytes));
  }

  private finishPoll(status: number): void {
    const poll = this.poll;
    if (!poll) return;
    this.poll = undefined;
    clearTimeout(poll.timer);
    respond(poll.response, status, poll.headers, status === 200 && this.queue.length > 0 ? this.drain() : undefined);
  }

  private drain(): Buffer {
    const body = this.queue.length === 1 ? this.queue[0] : Buffer.concat(this.queue);
    this.queue.length = 0;
    this.queued = 0;
    return body;
  }
}

function respond(response: ServerResponse, status: number, headers: Record<string, string>, body?: Buffer): void {
  if (response.writableEnded || response.destroyed) return;
  response.writeHead(status, {
    ...headers,
    'Content-Type': 'application/octet-stream',
    'Content-Length': String(body?.length ?? 0),
  });
  response.end(body);
}
