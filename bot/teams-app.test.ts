import { MemoryStorage, TestAdapter, type StoreItems } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import type { TurnContext } from 'botbuilder';
import { TurnStateWhenUsed } from './teams-app.js';

/** MemoryStorage that counts the calls made on it. */
class CountingStorage extends MemoryStorage {
  reads = 0;
  writes = 0;
  override read(keys: string[]): Promise<StoreItems> {
    this.reads += 1;
    return super.read(keys);
  }
  override write(changes: StoreItems): Promise<void> {
    this.writes += 1;
    return super.write(changes);
  }
}

describe('teams-ai turn state', () => {
  /** One turn that loads state, lets `change` touch it, and saves it, as teams-ai's Application does. */
  async function turn(storage: CountingStorage, type: string, change: (s: TurnStateWhenUsed) => void, keepsState?: (ctx: TurnContext) => boolean) {
    const adapter = new TestAdapter();
    let seen: unknown;
    await adapter.processActivity({ type, ...(type === 'invoke' ? { name: 'adaptiveCard/action' } : { text: 'panels' }) }, async (ctx) => {
      const state = new TurnStateWhenUsed(keepsState);
      await state.load(ctx, storage);
      seen = (state.conversation as Record<string, unknown>).step;
      change(state);
      await state.save(ctx, storage);
    });
    return seen;
  }

  it('is neither read nor written by default: no handler keeps state, so no turn pays for a store round trip', async () => {
    const storage = new CountingStorage();
    for (const type of ['message', 'invoke', 'conversationUpdate']) await turn(storage, type, (s) => void ((s.conversation as Record<string, unknown>).step = 1));
    expect([storage.reads, storage.writes]).toEqual([0, 0]);
  });

  it('is read and written only on the turns a handler keeps state on', async () => {
    const storage = new CountingStorage();
    const messages = (ctx: TurnContext) => ctx.activity.type === 'message';
    await turn(storage, 'message', (s) => void ((s.conversation as Record<string, unknown>).step = 1), messages);
    expect([storage.reads, storage.writes]).toEqual([1, 1]);
    // Another turn sees no state and, whatever a handler did to it, writes none back.
    expect(await turn(storage, 'invoke', (s) => void ((s.conversation as Record<string, unknown>).step = 99), messages)).toBeUndefined();
    expect([storage.reads, storage.writes]).toEqual([1, 1]);
    expect(await turn(storage, 'message', () => undefined, messages)).toBe(1);
    expect(storage.reads).toBe(2);
  });
});
