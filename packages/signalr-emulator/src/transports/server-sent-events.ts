/**
 * Server-Sent Events transport: the service's frames go down one long GET as `data:` lines; the
 * client's go up as separate POSTs, which the client endpoint feeds into the connection.
 */
import type { ServerResponse } from 'node:http';

import type { HubProtocol, Outbound } from '../protocol/hub-protocol';
import { slowClientError, type Transport, type TransportPeer } from './transport';

export class ServerSentEventsTransport implements Transport {
  readonly name = 'ServerSentEvents' as const;
  readonly supportsBinary = false;
  readonly inherentKeepAlive = false;

  constructor(
    private readonly response: ServerResponse,
    private readonly connection: TransportPeer,
    headers: Record<string, string>,
  ) {
    response.writeHead(200, {
      ...headers,
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache',
      'X-Accel-Buffering': 'no',
    });
    // A comment line makes proxies and EventSource see the stream open at once.
    response.write(':\r\n\r\n');
    response.on('close', () => connection.abort());
  }

  sendHandshake(bytes: Buffer): void {
    if (this.writable()) this.response.write(sseData(bytes));
  }

  send(message: Outbound, protocol: HubProtocol): void {
    if (!this.writable()) return;
    // As for WebSockets: a reader more than its bound behind is cut (and reconnects), never skipped.
    // writableLength counts the response's own buffer and its socket's.
    const unsent = this.response.writableLength;
    if (unsent > this.connection.maxBufferedBytes) {
      this.response.destroy();
      this.connection.abort(slowClientError(unsent, this.connection.maxBufferedBytes));
      return;
    }
    this.response.write(message.sse(protocol));
  }

  close(): void {
    if (this.writable()) this.response.end();
  }

  private writable(): boolean {
    return !this.response.writableEnded && !this.response.destroyed;
  }
}

function sseData(bytes: Buffer): string {
  return (
    bytes
      .toString('utf8')
      .split(/\r?\n/)
      .map((line) => `data: ${line}\r\n`)
      .join('') + '\r\n'
  );
}
