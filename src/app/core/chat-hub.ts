import { DOCUMENT, inject, Injectable, InjectionToken } from '@angular/core';
import { BehaviorSubject, defer, distinctUntilChanged, filter, map, Observable, Subject } from 'rxjs';

import {
  guard,
  SERVER_EVENT_NAMES,
  type ServerEventName,
  type ServerEventPayload,
  ServerEvents,
} from '../../../contract';

export type HubState = 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

/** The part of `@microsoft/signalr`'s HubConnection this app uses; tests provide a fake. */
export interface HubConnectionLike {
  start(): Promise<void>;
  stop(): Promise<void>;
  on(target: string, handler: (...args: unknown[]) => void): void;
  onclose(callback: (error?: Error) => void): void;
  onreconnecting(callback: (error?: Error) => void): void;
  onreconnected(callback: (connectionId?: string) => void): void;
}

/** Delays between automatic reconnect attempts: quick at first, then every 15 s (with jitter) for ever. */
export function reconnectDelay(previousRetryCount: number, random: () => number = Math.random): number {
  const steps = [0, 1_000, 2_000, 5_000, 10_000];
  const base = steps[previousRetryCount] ?? 15_000;
  return base === 0 ? 0 : Math.round(base * (0.8 + 0.4 * random()));
}

/**
 * Builds the connection. `@microsoft/signalr` is imported lazily so it stays out of the initial
 * bundle. The URL is `/api` on this origin: the SDK POSTs `/api/negotiate` and follows the
 * `{ url, accessToken }` redirect itself, on every (re)connect, so tokens never go stale.
 */
export const HUB_CONNECTION_FACTORY = new InjectionToken<() => Promise<HubConnectionLike>>('hub connection factory', {
  providedIn: 'root',
  factory: () => {
    const document = inject(DOCUMENT);
    return async () => {
      const signalR = await import('@microsoft/signalr');
      return new signalR.HubConnectionBuilder()
        .withUrl(new URL('/api', document.baseURI).href)
        .withAutomaticReconnect({
          nextRetryDelayInMilliseconds: ({ previousRetryCount }) => reconnectDelay(previousRetryCount),
        })
        .configureLogging(signalR.LogLevel.Warning)
        .build();
    };
  },
});

interface HubEvent {
  readonly target: string;
  readonly payload: unknown;
}

/**
 * The one owner of the SignalR `HubConnection`: connection state and typed server events as
 * Observables. Payloads that do not match the contract are dropped here, not deeper in the app.
 */
@Injectable({ providedIn: 'root' })
export class ChatHub {
  private readonly createConnection = inject(HUB_CONNECTION_FACTORY);
  private connection?: Promise<HubConnectionLike>;
  /** Which connection is current: callbacks of one that was dropped are ignored. */
  private generation = 0;
  private readonly stateSubject = new BehaviorSubject<HubState>('disconnected');
  private readonly events = new Subject<HubEvent>();
  private readonly closedSubject = new Subject<Error | undefined>();
  private stopping = false;

  readonly state$: Observable<HubState> = this.stateSubject.pipe(distinctUntilChanged());
  /** The connection closed for good without `stop()` (automatic reconnect gave up, or the server closed it). */
  readonly closed$: Observable<Error | undefined> = this.closedSubject.asObservable();
  readonly newMessage$ = this.eventsOf('newMessage');
  readonly messageChanged$ = this.eventsOf('messageChanged');
  readonly reactionChanged$ = this.eventsOf('reactionChanged');
  readonly typing$ = this.eventsOf('typing');
  readonly presence$ = this.eventsOf('presence');
  readonly profileChanged$ = this.eventsOf('profileChanged');
  readonly roomCreated$ = this.eventsOf('roomCreated');
  readonly readState$ = this.eventsOf('readState');
  readonly mention$ = this.eventsOf('mention');
  readonly membership$ = this.eventsOf('membership');
  readonly roomChanged$ = this.eventsOf('roomChanged');
  readonly memberChanged$ = this.eventsOf('memberChanged');

  /** Connects (negotiating again); completes when connected, errors when this attempt failed. */
  start(): Observable<void> {
    return defer(async () => {
      const connection = await this.connectionOnce();
      if (this.stateSubject.value !== 'disconnected') return;
      const generation = this.generation;
      this.stopping = false;
      this.stateSubject.next('connecting');
      try {
        await connection.start();
      } catch (error) {
        if (generation === this.generation) this.stateSubject.next('disconnected');
        throw error;
      }
      // Dropped while starting: this one is already being stopped; the caller starts afresh.
      if (generation !== this.generation) throw new Error('The connection was dropped while it started');
      this.stateSubject.next('connected');
    });
  }

  stop(): Observable<void> {
    return defer(async () => {
      if (!this.connection) return;
      this.stopping = true;
      await (await this.connection).stop();
      this.stateSubject.next('disconnected');
    });
  }

  /**
   * Gives up on the current connection without waiting for it: the next `start()` makes a fresh
   * one at once. The SDK's automatic reconnect sleeps out its retry delay and cannot be woken, so
   * when the browser says the network is back (or gone) this is how the app stops waiting.
   * Reports `disconnected`; `closed$` does not fire (the caller decides when to start).
   */
  drop(): void {
    const dropped = this.connection;
    if (!dropped) return;
    this.connection = undefined;
    this.generation++;
    this.stateSubject.next('disconnected');
    dropped.then((connection) => connection.stop()).catch(() => undefined);
  }

  private connectionOnce(): Promise<HubConnectionLike> {
    if (this.connection) return this.connection;
    const generation = ++this.generation;
    const current = () => generation === this.generation;
    const created = this.createConnection().then((connection) => {
      for (const target of SERVER_EVENT_NAMES) {
        connection.on(target, (payload: unknown) => {
          if (current()) this.events.next({ target, payload });
        });
      }
      connection.onreconnecting(() => {
        if (current()) this.stateSubject.next('reconnecting');
      });
      connection.onreconnected(() => {
        if (current()) this.stateSubject.next('connected');
      });
      connection.onclose((error) => {
        if (!current()) return;
        this.stateSubject.next('disconnected');
        if (!this.stopping) this.closedSubject.next(error);
      });
      return connection;
    });
    // A failed lazy load (e.g. offline) must not stick: the next start() tries again.
    created.catch(() => {
      if (this.connection === created) this.connection = undefined;
    });
    this.connection = created;
    return created;
  }

  /** One server event's payloads; those that do not match the contract's schema are dropped. */
  private eventsOf<K extends ServerEventName>(target: K): Observable<ServerEventPayload<K>> {
    const matches: (payload: unknown) => payload is ServerEventPayload<K> = guard(ServerEvents[target]);
    return this.events.pipe(
      filter((event) => event.target === target),
      map((event) => event.payload),
      filter(matches),
    );
  }
}
