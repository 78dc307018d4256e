/**
 * The search profile (`npm run bench -- --search`, `--search --full`): a history of many messages
 * over 50 rooms in a fresh Azurite, a person in 20 of them, and the latency of the search handler
 * (called in this process as the Functions host calls it, rate limit and membership included) for
 * one-word, two-word, phrase and operator queries; the index's rows per message; and the time to
 * index a room of many messages from its log. Results: bench/results/search[-full].json and .md.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';

import type { Message, SearchPage } from '../contract';
import { addMember } from '../functions/domain/rooms/membership-changes';
import { createRoom } from '../functions/domain/rooms/rooms-store';
import {
  catchUp,
  FRESHNESS_WINDOW_MS,
  keysOf,
  searchTable,
  setFreshnessWindow,
} from '../functions/domain/search/search-index';
import type { Principal } from '../functions/platform/http/identity';
import { withErrors } from '../functions/platform/http/with-errors';
import { STORAGE_SETTING } from '../functions/platform/storage/tables';
import { search } from '../functions/search';
import { invocation, request } from '../functions/testing/requests';
import { importMessages } from '../functions/testing/seed';
import { freePort } from '../local/stack/ports';
import { ManagedProcess } from '../local/stack/process';
import { storageConnectionString } from '../local/stack/stack';
import { pool, round, summarize } from './common';

export interface SearchProfile {
  readonly name: string;
  /** Messages over all rooms. */
  readonly messages: number;
  readonly rooms: number;
  /** Rooms the searching person is in. */
  readonly memberOf: number;
  /** The room indexed from its log alone, timed. */
  readonly bigRoom: number;
  /** Queries of each kind. */
  readonly queries: number;
}

export const SEARCH_PROFILES: Record<'quick' | 'full', SearchProfile> = {
  quick: { name: 'search', messages: 10_000, rooms: 50, memberOf: 20, bigRoom: 2_000, queries: 40 },
  full: { name: 'search-full', messages: 100_000, rooms: 50, memberOf: 20, bigRoom: 10_000, queries: 100 },
};

export interface SearchBenchResult {
  readonly profile: SearchProfile;
  readonly startedAt: string;
  readonly seedSeconds: number;
  readonly indexAllSeconds: number;
  readonly rowsPerMessage: number;
  readonly bigRoomIndexSeconds: number;
  readonly bigRoomMessagesPerSecond: number;
  readonly queries: Record<string, { p50: number; p95: number; max: number; count: number; meanResults: number }>;
}

/** A small deterministic random source, so two runs search the same history. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'to', 'vi', 'de', 'po', 'li', 'an', 'er', 'on', 'ti'];

export async function runSearchBench(
  profile: SearchProfile,
  root: string,
  log: (line: string) => void,
): Promise<SearchBenchResult> {
  const port = await freePort();
  // In memory: Azurite otherwise writes its whole database to disk every 5 s, stalling every
  // request for seconds once it holds millions of rows (a cost Table Storage does not have).
  const azurite = new ManagedProcess(
    {
      name: 'azurite',
      command: process.execPath,
      args: [
        // The full profile's index is millions of rows, all in Azurite's memory: past Node's default heap.
        '--max-old-space-size=16384',
        join(root, 'node_modules/azurite/dist/src/table/main.js'),
        '--tableHost',
        '127.0.0.1',
        '--tablePort',
        String(port),
        '--inMemoryPersistence',
        '--disableTelemetry',
        '--skipApiVersionCheck',
        '--silent',
      ],
      port,
      stopSignal: 'SIGINT',
    },
    () => undefined,
  );
  await azurite.start();
  process.env[STORAGE_SETTING] = storageConnectionString(port);
  try {
    return await measure(profile, log);
  } finally {
    await azurite.stop();
  }
}

async function measure(profile: SearchProfile, log: (line: string) => void): Promise<SearchBenchResult> {
  const next = random(42);
  // 3,000 words, drawn with a skew (a few common, most rare), as in chat.
  const vocabulary = Array.from({ length: 3000 }, (_, i) => {
    let word = '';
    for (let n = i + 7; word.length < 4 || n > 0; n = Math.floor(n / SYLLABLES.length)) {
      word += SYLLABLES[n % SYLLABLES.length];
      if (word.length > 12) break;
    }
    return word;
  });
  const word = () => vocabulary[Math.floor(vocabulary.length * next() ** 2.5)];
  const senders: Principal[] = Array.from({ length: 30 }, (_, i) => ({ id: `bench-sender-${i}`, name: `Sender ${i}` }));
  const rooms = Array.from({ length: profile.rooms }, (_, i) => `bench-room-${i}`);
  const phrases: string[] = [];

  let started = performance.now();
  for (const room of rooms) await createRoom(room, senders[0]);
  const perRoom = Math.floor(profile.messages / profile.rooms);
  const day = Date.UTC(2026, 0, 1);
  await pool(rooms.length, 4, async (index) => {
    const messages: Omit<Message, 'seq'>[] = Array.from({ length: perRoom }, (_, i) => {
      const text = Array.from({ length: 5 + Math.floor(next() * 15) }, word).join(' ');
      if (next() < 0.01) phrases.push(text.split(' ').slice(1, 3).join(' '));
      return {
        id: randomUUID(),
        room: rooms[index],
        text,
        sender: senders[Math.floor(next() * senders.length)],
        sentAt: new Date(day + i * 60_000 + index * 1000).toISOString(),
      };
    });
    await importMessages(rooms[index], messages);
  });
  const seedSeconds = (performance.now() - started) / 1000;
  log(`search: ${perRoom * rooms.length} messages over ${rooms.length} rooms stored in ${seedSeconds.toFixed(1)} s`);

  started = performance.now();
  await pool(rooms.length, 4, (index) => catchUp(rooms[index]));
  const indexAllSeconds = (performance.now() - started) / 1000;
  const client = await searchTable(rooms[0]);
  let rows = 0;
  for await (const _ of client.listEntities({
    queryOptions: { filter: `PartitionKey eq '${rooms[0]}'`, select: ['RowKey'] },
  })) {
    rows++;
  }
  const rowsPerMessage = rows / perRoom;
  log(
    `search: indexed every room from its log in ${indexAllSeconds.toFixed(1)} s; ${rowsPerMessage.toFixed(1)} rows per message`,
  );

  // One room of many messages, indexed from its log alone.
  const big = 'bench-big-room';
  await createRoom(big, senders[0]);
  const bigMessages: Omit<Message, 'seq'>[] = Array.from({ length: profile.bigRoom }, (_, i) => ({
    id: randomUUID(),
    room: big,
    text: Array.from({ length: 5 + Math.floor(next() * 15) }, word).join(' '),
    sender: senders[i % senders.length],
    sentAt: new Date(day + i * 60_000).toISOString(),
  }));
  await importMessages(big, bigMessages);
  started = performance.now();
  await catchUp(big);
  const bigRoomIndexSeconds = (performance.now() - started) / 1000;
  log(`search: a room of ${profile.bigRoom} messages indexed from its log in ${bigRoomIndexSeconds.toFixed(1)} s`);

  // Searchers: each in the same 20 rooms (a fresh one every 100 queries: the read limit is per person).
  let searcher: Principal | undefined;
  let used = 0;
  const searcherNow = async () => {
    if (!searcher || used >= 100) {
      searcher = { id: `bench-searcher-${randomUUID().slice(0, 8)}`, name: 'Searcher' };
      for (const room of rooms.slice(0, profile.memberOf)) await addMember(room, searcher);
      used = 0;
    }
    used++;
    return searcher;
  };
  const kinds: Record<string, () => string> = {
    'one word': () => word(),
    'two words': () => `${word()} ${word()}`,
    phrase: () => `"${phrases[Math.floor(next() * phrases.length)] ?? `${word()} ${word()}`}"`,
    operators: () => {
      const pick = Math.floor(next() * 3);
      if (pick === 0) return `from:@${senders[Math.floor(next() * senders.length)].id} ${word()}`;
      if (pick === 1) return `in:${rooms[Math.floor(next() * profile.memberOf)]} ${word()}`;
      return `${word()} after:2026-01-02`;
    },
  };
  const queries: SearchBenchResult['queries'] = {};
  // Each kind as an instance with people searching runs it (every room's freshness checked in the
  // last second: no counter read), then as an idle one (every room's counter read on every page).
  const runs = [
    ...Object.entries(kinds).map(([kind, make]) => ({ kind, make, window: FRESHNESS_WINDOW_MS })),
    ...Object.entries(kinds).map(([kind, make]) => ({ kind: `${kind}, every room checked`, make, window: 0 })),
  ];
  for (const { kind, make, window } of runs) {
    setFreshnessWindow(window);
    const times: number[] = [];
    let results = 0;
    for (let i = 0; i < profile.queries + 3; i++) {
      const user = await searcherNow();
      const q = make();
      const begin = performance.now();
      const response = await withErrors(search)(
        request('GET', 'search', { user, query: { q, limit: '20' } }),
        invocation('search'),
      );
      const ms = performance.now() - begin;
      if (response.status !== 200) throw new Error(`search ${q} answered ${response.status}`);
      if (i < 3) continue; // warm-up
      times.push(ms);
      results += (response.jsonBody as SearchPage).results.length;
    }
    const summary = summarize(times);
    queries[kind] = {
      p50: round(summary.p50),
      p95: round(summary.p95),
      max: round(summary.max),
      count: times.length,
      meanResults: round(results / times.length, 1),
    };
    log(
      `search: ${kind}: p50 ${summary.p50.toFixed(1)} ms, p95 ${summary.p95.toFixed(1)} ms (${times.length} queries)`,
    );
  }
  setFreshnessWindow(FRESHNESS_WINDOW_MS);
  return {
    profile,
    startedAt: new Date().toISOString(),
    seedSeconds: round(seedSeconds, 1),
    indexAllSeconds: round(indexAllSeconds, 1),
    rowsPerMessage: round(rowsPerMessage, 1),
    bigRoomIndexSeconds: round(bigRoomIndexSeconds, 1),
    bigRoomMessagesPerSecond: round(profile.bigRoom / bigRoomIndexSeconds, 0),
    queries,
  };
}

/** Keys of one typical message, for the docs' arithmetic. */
export const keysOfExample = (text: string) =>
  keysOf({ id: 'x', room: 'r', text, sender: { id: 'u', name: 'U' }, sentAt: '', first: 1, seq: 1 }).length;

export function renderSearchMarkdown(result: SearchBenchResult): string {
  const p = result.profile;
  const lines = [
    `# Search benchmark (${p.name})`,
    '',
    `${result.startedAt}: ${p.messages.toLocaleString('en')} messages over ${p.rooms} rooms in a fresh Azurite, a person in ${p.memberOf} of them; the search handler called in process (membership, rate limit, index catch-up check and every storage call included; no HTTP). Method: bench/search.ts.`,
    '',
    '| query | p50 ms | p95 ms | max ms | queries | results (mean, limit 20) |',
    '| --- | --- | --- | --- | --- | --- |',
    ...Object.entries(result.queries).map(
      ([kind, q]) => `| ${kind} | ${q.p50} | ${q.p95} | ${q.max} | ${q.count} | ${q.meanResults} |`,
    ),
    '',
    `- Index rows per message: ${result.rowsPerMessage} (every key a posting row, plus the message's document row).`,
    `- Seeding the logs: ${result.seedSeconds} s; indexing every room from its log: ${result.indexAllSeconds} s.`,
    `- A room of ${p.bigRoom.toLocaleString('en')} messages indexed from its log: ${result.bigRoomIndexSeconds} s (${result.bigRoomMessagesPerSecond} messages/s).`,
    '',
  ];
  return lines.join('\n');
}
