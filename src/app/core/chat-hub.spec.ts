import { TestBed } from '@angular/core/testing';
import { firstValueFrom, take, toArray } from 'rxjs';

import { ChatHub, HUB_CONNECTION_FACTORY, type HubConnectionLike, type HubState, reconnectDelay } from './chat-hub';

/** Plays the SignalR HubConnection: tests fire its callbacks as the server or the network would. */
class FakeHubConnection implements HubConnectionLike {
  readonly handlers = new Map<string, (...args: unknown[]) => void>();
  closeCallback?: (error?: Error) => void;
  reconnectingCallback?: (error?: Error) => void;
  reconnectedCallback?: (id?: string) => void;
  startResult: Promise<void> = Promise.resolve();
  starts = 0;

  start(): Promise<void> {
    this.starts++;
    return this.startResult;
  }
  stop(): Promise<void> {
    this.closeCallback?.();
    return Promise.resolve();
  }
  on(target: string, handler: (...args: unknown[]) => void): void {
    this.handlers.set(target, handler);
  }
  onclose(callback: (error?: Error) => void): void {
    this.closeCallback = callback;
  }
  onreconnecting(callback: (error?: Error) => void): void {
    this.reconnectingCallback = callback;
  }
  onreconnected(callback: (id?: string) => void): void {
    this.reconnectedCallback = callback;
  }
  serverSends(target: string, payload: unknown): void {
    this.handlers.get(target)?.(payload);
  }
}

function setup(): { hub: ChatHub; connection: FakeHubConnection; states: HubState[] } {
  const connection = new FakeHubConnection();
  TestBed.configureTestingModule({
    providers: [{ provide: HUB_CONNECTION_FACTORY, useValue: () => Promise.resolve(connection) }],
  });
  const hub = TestBed.inject(ChatHub);
  const states: HubState[] = [];
  hub.state$.subscribe((state) => states.push(state));
  return { hub, connection, states };
}

describe('ChatHub', () => {
  it('reports connecting, then connected, and reconnecting/connected as the SDK recovers', async () => {
    const { hub, connection, states } = setup();
    await firstValueFrom(hub.start(), { defaultValue: undefined });
    connection.reconnectingCallback?.(new Error('socket dropped'));
    connection.reconnectedCallback?.('new-id');
    expect(states).toEqual(['disconnected', 'connecting', 'connected', 'reconnecting', 'connected']);
  });

  it('fails the start when the connection cannot be made, so the caller can retry', async () => {
    const { hub, connection, states } = setup();
    connection.startResult = Promise.reject(new Error('negotiate failed'));
    await expect(firstValueFrom(hub.start())).rejects.toThrow('negotiate failed');
    expect(states.at(-1)).toBe('disconnected');
  });

  it('passes on contract-shaped events by target and drops malformed ones', async () => {
    const { hub, connection } = setup();
    const messages = firstValueFrom(hub.newMessage$.pipe(take(1), toArray()));
    const typing = firstValueFrom(hub.typing$);
    const presence = firstValueFrom(hub.presence$);
    await firstValueFrom(hub.start(), { defaultValue: undefined });
    const message = {
      id: 'm1',
      room: 'general',
      text: 'hi',
      sender: { id: 'u', name: 'Ann' },
      sentAt: '2026-01-01T00:00:00Z',
    };
    connection.serverSends('newMessage', { id: 'broken' });
    connection.serverSends('newMessage', message);
    connection.serverSends('typing', { room: 'general', user: { id: 'u', name: 'Ann' } });
    connection.serverSends('presence', { user: { id: 'u', name: 'Ann' }, online: false });
    expect(await messages).toEqual([message]);
    expect(await typing).toEqual({ room: 'general', user: { id: 'u', name: 'Ann' } });
    expect(await presence).toEqual({ user: { id: 'u', name: 'Ann' }, online: false });
  });

  it('drop() gives up on a connection at once: a fresh one starts, and the old one is stopped and no longer heard', async () => {
    const first = new FakeHubConnection();
    const second = new FakeHubConnection();
    const made = [first, second];
    TestBed.configureTestingModule({
      providers: [{ provide: HUB_CONNECTION_FACTORY, useValue: () => Promise.resolve(made.shift()!) }],
    });
    const hub = TestBed.inject(ChatHub);
    const states: HubState[] = [];
    hub.state$.subscribe((state) => states.push(state));
    const closes: unknown[] = [];
    hub.closed$.subscribe((error) => closes.push(error));
    const typed: unknown[] = [];
    hub.typing$.subscribe((typing) => typed.push(typing));
    await firstValueFrom(hub.start(), { defaultValue: undefined });
    first.reconnectingCallback?.(new Error('socket dropped'));
    hub.drop();
    await firstValueFrom(hub.start(), { defaultValue: undefined });
    // The old one's late callbacks (its stop closing it, a reconnect, an event) change nothing.
    first.reconnectedCallback?.('old');
    first.serverSends('typing', { room: 'general', user: { id: 'u1', name: 'Ann' } });
    expect(states).toEqual([
      'disconnected',
      'connecting',
      'connected',
      'reconnecting',
      'disconnected',
      'connecting',
      'connected',
    ]);
    expect(second.starts).toBe(1);
    expect(closes).toEqual([]);
    expect(typed).toEqual([]);
  });

  it('announces a close it did not ask for, but not its own stop()', async () => {
    const { hub, connection } = setup();
    const closes: unknown[] = [];
    hub.closed$.subscribe((error) => closes.push(error));
    await firstValueFrom(hub.start(), { defaultValue: undefined });
    connection.closeCallback?.(new Error('gave up'));
    await firstValueFrom(hub.start(), { defaultValue: undefined });
    await firstValueFrom(hub.stop(), { defaultValue: undefined });
    expect(closes).toEqual([new Error('gave up')]);
    expect(connection.starts).toBe(2);
  });
});

describe('reconnectDelay', () => {
  it('retries quickly at first, then every 15 s or so, and never gives up', () => {
    const half = () => 0.5;
    expect([0, 1, 2, 3, 4, 5, 50].map((n) => reconnectDelay(n, half))).toEqual([
      0, 1000, 2000, 5000, 10000, 15000, 15000,
    ]);
  });
});
