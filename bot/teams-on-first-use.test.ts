import { describe, expect, it } from 'vitest';
import { routeOnFirstUse } from './compose.js';
import type { HttpRoute } from './http.js';
import { onFirstUse, teamsSideOnFirstUse } from './teams-on-first-use.js';
import { MessengerUnavailable } from '../scheduler/messenger.js';
import type { Conversation } from '../scheduler/domain/types.js';

const route = (path: string, body: string): HttpRoute => ({ method: 'GET', path, handler: async () => ({ status: 200, body }) });
const request = { params: {}, query: {}, headers: {} };

describe('loading on first use', () => {
  it('loads once however many ask at the same time, and tries again after a failure', async () => {
    let calls = 0;
    const get = onFirstUse(async () => {
      calls += 1;
      if (calls === 1) throw new Error('import failed');
      return `loaded ${calls}`;
    });
    await expect(get()).rejects.toThrow('import failed');
    expect(await Promise.all([get(), get(), get()])).toEqual(['loaded 2', 'loaded 2', 'loaded 2']);
    expect(calls).toBe(2);
  });

  it('tells the outbox a send never left when the Teams side fails to load, and the caller of a turn the cause', async () => {
    const side = teamsSideOnFirstUse(async () => {
      throw new Error('Cannot find module botbuilder');
    });
    const conversation = { id: '19:c@thread.tacv2', tenantId: 't' } as Conversation;
    const sent = side.messenger.send(conversation, { text: 'hello' } as never, undefined);
    await expect(sent).rejects.toBeInstanceOf(MessengerUnavailable);
    await expect(sent).rejects.toThrow('the Teams side could not be loaded: Cannot find module botbuilder');
    await expect(side.authenticate({} as never, 'Bearer x')).rejects.toThrow('Cannot find module botbuilder');
  });

  it('answers a route with the loaded module route at the same path, and fails loudly when the module no longer serves it', async () => {
    let loads = 0;
    const reports = routeOnFirstUse('/reports/*', async () => {
      loads += 1;
      return [route('/calendar/:token', 'feed'), route('/reports/*', 'report')];
    });
    expect(loads).toBe(0);
    expect(reports.path).toBe('/reports/*');
    expect((await reports.handler(request)).body).toBe('report');
    expect((await reports.handler(request)).body).toBe('report');
    expect(loads).toBe(1);
    const moved = routeOnFirstUse('/calendar/:token', async () => route('/feeds/:token', 'feed'));
    await expect(moved.handler(request)).rejects.toThrow('the route module no longer serves /calendar/:token');
  });
});
