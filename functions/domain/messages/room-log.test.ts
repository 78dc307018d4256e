import { randomUUID } from 'node:crypto';

import { table } from '../../platform/storage/tables';
import { startAzurite, type TestAzurite } from '../../testing/azurite';
import {
  createMessage,
  findMessage,
  latestSeq,
  type MessageState,
  readChanges,
  readHistory,
  updateMessage,
} from './room-log';

let azurite: TestAzurite;
beforeAll(async () => {
  azurite = await startAzurite();
}, 60_000);
afterAll(() => azurite.stop());

const alice = { id: 'u-alice', name: 'Alice' };
const draft = (text: string, sentAt = new Date().toISOString()): Omit<MessageState, 'first'> => ({
  id: randomUUID(),
  text,
  sender: alice,
  sentAt,
});

describe('room log', () => {
  it('gives concurrent writers distinct, gapless numbers in the order they were stored', async () => {
    const room = 'log-concurrent';
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => createMessage(room, draft(`m${i}`))));
    const seqs = results.map((r) => r.message.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(await latestSeq(room)).toBe(20);
    const history = await readHistory(room, 50);
    expect(history?.messages.map((m) => m.seq)).toEqual(seqs);
  }, 60_000);

  it('stores one message however many times its id is sent at once', async () => {
    const room = 'log-duplicates';
    const message = draft('once');
    const results = await Promise.all(Array.from({ length: 8 }, () => createMessage(room, message)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect((await readHistory(room, 50))?.messages).toHaveLength(1);
  }, 60_000);

  it('catch-up after a message returns one stamped earlier but stored later', async () => {
    const room = 'log-late-write';
    const stampedEarlier = draft('X', '2026-01-01T00:00:00.000Z');
    const y = await createMessage(room, draft('Y', '2026-01-01T00:00:00.150Z'));
    const x = await createMessage(room, stampedEarlier); // the slow write lands after Y
    const after = await readChanges(room, y.message.seq, 50);
    expect(after.messages.map((m) => m.text)).toEqual(['X']);
    expect(x.message.seq).toBeGreaterThan(y.message.seq);
  }, 60_000);

  it('reads one bounded page of changes however far behind the cursor is', async () => {
    const room = 'log-bounded';
    const first = await createMessage(room, draft('first'));
    for (let i = 0; i < 30; i++) await createMessage(room, draft(`later ${i}`));
    const page = await readChanges(room, first.message.seq, 1);
    expect(page.messages.map((m) => m.text)).toEqual(['later 0']);
    expect(page.hasMore).toBe(true);
  }, 60_000);

  it('keeps every reaction of people reacting at the same moment, and lists each message once in the log', async () => {
    const room = 'log-reactions';
    const { message } = await createMessage(room, draft('react to me'));
    const people = Array.from({ length: 10 }, (_, i) => ({ id: `u${i}`, name: `U${i}` }));
    await Promise.all(
      people.map((person) =>
        updateMessage(room, message.id, (current) => {
          const people = current.reactions?.['👍']?.people ?? [];
          return {
            state: { ...current, reactions: { '👍': { count: people.length + 1, people: [...people, person] } } },
          };
        }),
      ),
    );
    const stored = await findMessage(room, message.id);
    expect(stored?.reactions?.['👍']?.people.map((p) => p.id).sort()).toEqual(people.map((p) => p.id).sort());
    const log = await readChanges(room, 0, 50);
    expect(log.messages).toHaveLength(1);
    expect(log.messages[0]?.seq).toBe(11);
  }, 60_000);

  it('removes a deleted message text from every row of the room', async () => {
    const room = 'log-delete';
    const { message } = await createMessage(room, draft('secret words'));
    await updateMessage(room, message.id, (current) => ({ state: { ...current, text: 'edited secret words' } }));
    const deleted = await updateMessage(room, message.id, (current) => ({ state: { ...current, deleted: true } }));
    expect(deleted.kind).toBe('changed');
    const client = await table('messages');
    const rows: Record<string, unknown>[] = [];
    for await (const row of client.listEntities({ queryOptions: { filter: `PartitionKey eq '${room}'` } }))
      rows.push(row);
    expect(JSON.stringify(rows)).not.toContain('secret');
    expect((await readChanges(room, 0, 50)).messages).toMatchObject([{ id: message.id, deleted: true, text: '' }]);
  }, 60_000);

  it('reports a refusal and an unknown message without writing', async () => {
    const room = 'log-refuse';
    const { message } = await createMessage(room, draft('mine'));
    expect(await updateMessage(room, message.id, () => ({ refused: 'not yours' }))).toEqual({
      kind: 'refused',
      reason: 'not yours',
    });
    expect(await updateMessage(room, 'no-such-id', () => ({ unchanged: true }))).toEqual({ kind: 'missing' });
    expect(await latestSeq(room)).toBe(1);
  }, 60_000);
});
