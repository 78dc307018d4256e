/**
 * The routes whose work could grow with a room (issue 22, "measure the worst ones"), each against a
 * plain send in the same run: the CPU the Functions host and Azurite spend per request, and its
 * wall time, through the real stack (our Functions host, Azurite, the emulator) as `npm run
 * start:api` runs it. `node dist/bench/route-costs.js [--out=<name>]` after `npm run build:api &&
 * tsc -p tsconfig.bench.json`; writes bench/results/<name>.json and .md (default `route-costs`).
 *
 * Routes measured, each REPEATS times, sequentially, after WARMUP requests of its kind:
 * - a plain send (to the room of 186 below, without `@room`);
 * - a reaction to a message that 1,000 people reacted to (added, then taken back);
 * - a send with `@room` in a room of 150 members;
 * - `GET /api/read-state` of a person in 26 rooms, each with unread messages.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';

import { DEFAULT_EMULATOR_ACCESS_KEY } from '@hubbub/signalr-emulator';

import { freePort } from '../local/stack/ports';
import { startStack } from '../local/stack/stack';

const REPEATS = 30;
const WARMUP = 5;
const REACTORS = 1_000;
const ROOM_MEMBERS = 150;
/** Under the 30 joins a minute one person may make. */
const ROOMS_JOINED = 25;

interface Cost {
  route: string;
  requests: number;
  hostCpuMs: number;
  azuriteCpuMs: number;
  wallMs: { p50: number; p95: number };
  statuses: Record<string, number>;
}

const root = join(__dirname, '..', '..');

function pidsOf(): Record<'azurite' | 'functions', number> {
  const out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  const pids: Partial<Record<'azurite' | 'functions', number>> = {};
  for (const line of out.split('\n')) {
    const match = /^\s*(\d+)\s+(.*)$/.exec(line);
    if (!match) continue;
    if (match[2].includes('azurite/dist/src/table/')) pids.azurite = Number(match[1]);
    else if (match[2].includes('bin/functions-host.js')) pids.functions = Number(match[1]);
  }
  if (!pids.azurite || !pids.functions) throw new Error(`stack processes not found: ${JSON.stringify(pids)}`);
  return pids as Record<'azurite' | 'functions', number>;
}

/** utime + stime of a process, its threads and every process below it (Azurite runs under a launcher), in ms (USER_HZ 100). */
function cpuMs(pid: number): number {
  const children = new Map<number, number[]>();
  const own = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const parent = Number(fields[1]);
    children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    own.set(Number(entry), (Number(fields[11]) + Number(fields[12])) * 10);
  }
  const total = (p: number): number => (own.get(p) ?? 0) + (children.get(p) ?? []).reduce((n, c) => n + total(c), 0);
  return total(pid);
}

async function pool<T>(count: number, width: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array<T>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, count) }, async () => {
      while (next < count) {
        const i = next++;
        out[i] = await task(i);
      }
    }),
  );
  return out;
}

async function main(): Promise<void> {
  const out = process.argv.find((a) => a.startsWith('--out='))?.slice('--out='.length) ?? 'route-costs';
  await mkdir(join(root, '.data'), { recursive: true });
  const dataDir = await mkdtemp(join(root, '.data', 'bench-'));
  const stack = await startStack({
    root,
    dataDir,
    ports: { spa: 0, functions: await freePort(), signalr: await freePort(), tables: await freePort() },
    spa: 'none',
    signalrAccessKey: DEFAULT_EMULATOR_ACCESS_KEY,
    values: { HUBBUB_AUTH_SECRET: randomBytes(32).toString('hex') },
    log: (line) => {
      if (/error|fail|warn|exited/i.test(line)) console.error(line);
    },
  });
  const api = stack.urls.api;
  try {
    const pids = pidsOf();
    const login = async (name: string): Promise<string> => {
      const response = await fetch(`${api}/.auth/login/dev`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ name }).toString(),
        redirect: 'manual',
      });
      const cookie = response.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .find((c) => c?.startsWith('AppServiceAuthSession='));
      if (!cookie) throw new Error(`dev login answered ${response.status}`);
      return cookie;
    };
    const request = async (cookie: string, method: string, path: string, body?: unknown) => {
      const response = await fetch(`${api}/${path}`, {
        method,
        headers: { cookie, ...(body !== undefined && { 'content-type': 'application/json' }) },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    };
    const must = async (cookie: string, method: string, path: string, body?: unknown) => {
      const answer = await request(cookie, method, path, body);
      if (answer.status >= 300) throw new Error(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
      return answer.body;
    };
    const send = (cookie: string, room: string, text: string, extra: Record<string, unknown> = {}) =>
      must(cookie, 'POST', 'api/messages', { id: randomUUID(), room, text, ...extra });

    /** Runs `task(i)` WARMUP + REPEATS times one after another; the last REPEATS are measured. */
    const measure = async (route: string, task: (i: number) => Promise<{ status: number }>): Promise<Cost> => {
      for (let i = 0; i < WARMUP; i++) await task(i);
      const walls: number[] = [];
      const statuses: Record<string, number> = {};
      const host0 = cpuMs(pids.functions);
      const azurite0 = cpuMs(pids.azurite);
      for (let i = WARMUP; i < WARMUP + REPEATS; i++) {
        const start = performance.now();
        const { status } = await task(i);
        walls.push(performance.now() - start);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
      walls.sort((a, b) => a - b);
      const cost: Cost = {
        route,
        requests: REPEATS,
        hostCpuMs: (cpuMs(pids.functions) - host0) / REPEATS,
        azuriteCpuMs: (cpuMs(pids.azurite) - azurite0) / REPEATS,
        wallMs: { p50: walls[Math.floor(REPEATS / 2)], p95: walls[Math.floor(REPEATS * 0.95)] },
        statuses,
      };
      console.log(JSON.stringify(cost));
      return cost;
    };

    // ---- set-up (not measured) ----
    console.log('set-up: people, rooms, reactions');
    const owner = await login('owner');
    const senders = await pool(WARMUP + REPEATS, 8, (i) => login(`sender${i}`));
    const members = await pool(ROOM_MEMBERS, 8, (i) => login(`member${i}`));
    await must(owner, 'POST', 'api/rooms', { name: 'crowd' });
    await pool(members.length, 8, (i) => must(members[i], 'POST', 'api/rooms/crowd/join', {}));
    await pool(senders.length, 8, (i) => must(senders[i], 'POST', 'api/rooms/crowd/join', {}));
    const reacted = await send(owner, 'general', 'react to me');
    const reactors = await pool(REACTORS, 8, (i) => login(`reactor${i}`));
    await pool(REACTORS, 8, (i) =>
      must(reactors[i], 'POST', `api/rooms/general/messages/${String(reacted['id'])}/reactions`, {
        emoji: '👍',
        add: true,
      }),
    );
    const reader = await login('reader');
    await pool(ROOMS_JOINED, 4, async (r) => {
      const poster = await login(`poster${r}`);
      await must(poster, 'POST', 'api/rooms', { name: `many-${r}` });
      await must(reader, 'POST', `api/rooms/many-${r}/join`, {});
      for (let m = 0; m < 5; m++) await send(poster, `many-${r}`, `unread ${m} of many-${r}`);
    });

    // ---- measured, the plain send first and last (the ratio uses their mean) ----
    const costs: Cost[] = [];
    // Each measured request is a different person's (rate limits per person are not under test).
    const plainSend = (label: string) =>
      measure(label, (i) =>
        request(senders[i % senders.length], 'POST', 'api/messages', {
          id: randomUUID(),
          room: 'crowd',
          text: `plain ${i}`,
        }),
      );
    costs.push(await plainSend('plain send'));
    costs.push(
      await measure(`reaction, message with ${REACTORS} reactors (add)`, (i) =>
        request(senders[i], 'POST', `api/rooms/general/messages/${String(reacted['id'])}/reactions`, {
          emoji: '👍',
          add: true,
        }),
      ),
    );
    costs.push(
      await measure(`reaction, message with ${REACTORS} reactors (take one back)`, (i) =>
        request(reactors[i], 'POST', `api/rooms/general/messages/${String(reacted['id'])}/reactions`, {
          emoji: '👍',
          add: false,
        }),
      ),
    );
    costs.push(
      await measure(`@room send, room of ${ROOM_MEMBERS + senders.length + 1}`, (i) =>
        request(senders[i], 'POST', 'api/messages', {
          id: randomUUID(),
          room: 'crowd',
          text: `everyone ${i}`,
          mentionsRoom: true,
        }),
      ),
    );
    costs.push(
      await measure(`read state, ${ROOMS_JOINED + 1} rooms unread`, () => request(reader, 'GET', 'api/read-state')),
    );
    costs.push(await plainSend('plain send, again'));

    const base = {
      host: (costs[0].hostCpuMs + costs.at(-1)!.hostCpuMs) / 2,
      azurite: (costs[0].azuriteCpuMs + costs.at(-1)!.azuriteCpuMs) / 2,
      wall: (costs[0].wallMs.p50 + costs.at(-1)!.wallMs.p50) / 2,
    };
    const fmt = (n: number) => (n >= 10 ? n.toFixed(0) : n.toFixed(1));
    const ratio = (n: number, d: number) => `${(n / d).toFixed(2)}×`;
    const lines = [
      `# Route costs (${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC)`,
      '',
      `Each route ${REPEATS} times in sequence after ${WARMUP} unmeasured; CPU of the Functions host and`,
      'Azurite per request (from /proc), wall time to the answer; ratios against the mean of the two',
      `plain sends of the same run. Load average at the end: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}.`,
      '',
      '| route | host CPU ms | Azurite CPU ms | wall p50 / p95 ms | host × send | Azurite × send | wall × send | answers |',
      '| --- | --- | --- | --- | --- | --- | --- | --- |',
      ...costs.map(
        (c) =>
          `| ${c.route} | ${fmt(c.hostCpuMs)} | ${fmt(c.azuriteCpuMs)} | ${fmt(c.wallMs.p50)} / ${fmt(c.wallMs.p95)} | ${ratio(c.hostCpuMs, base.host)} | ${ratio(c.azuriteCpuMs, base.azurite)} | ${ratio(c.wallMs.p50, base.wall)} | ${Object.entries(
            c.statuses,
          )
            .map(([s, n]) => `${n}× ${s}`)
            .join(', ')} |`,
      ),
      '',
    ];
    await mkdir(join(root, 'bench', 'results'), { recursive: true });
    writeFileSync(join(root, 'bench', 'results', `${out}.json`), JSON.stringify({ costs, base }, null, 2) + '\n');
    writeFileSync(join(root, 'bench', 'results', `${out}.md`), lines.join('\n'));
    console.log(lines.join('\n'));
  } finally {
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
