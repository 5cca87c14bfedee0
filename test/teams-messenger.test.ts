import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Conversation } from '../scheduler/domain/types.js';
import { SendError } from '../scheduler/messenger.js';
import { FakeConnector } from './support/fake-connector.js';
import { connectorMessenger } from './support/fanout.js';

describe('the Bot Connector messenger', () => {
  let connector: FakeConnector;
  let channel: Conversation;
  beforeEach(async () => {
    connector = new FakeConnector();
    await connector.start();
    channel = { id: '19:c@thread.tacv2', tenantId: 't', serviceUrl: connector.url, kind: 'channel', teamId: 'team', userAadObjectId: null, botId: '28:bot' };
  });
  afterEach(async () => {
    await connector.stop();
  });

  const failure = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e);

  it('answers with the new activity id', async () => {
    const id = await connectorMessenger().send(channel, { text: 'hello' });
    expect(id).toMatch(/^activity-\d+$/);
    expect(connector.posts().map((c) => c.body.text)).toEqual(['hello']);
  });

  it('hands a 5xx back at once, as one call, and posts nothing else (no retry of its own, no apology in the channel)', async () => {
    connector.failNext({ status: 500 }, { status: 500 }, { status: 500 }, { status: 500 });
    const e = await failure(connectorMessenger().send(channel, { text: 'hello' }));
    expect(e).toBeInstanceOf(SendError);
    expect(e).toMatchObject({ status: 500, retryable: true });
    expect(connector.calls).toHaveLength(1);
  });

  it('hands a 429 back with its Retry-After, for the outbox to wait out', async () => {
    connector.failNext({ status: 429, headers: { 'Retry-After': '7' } });
    const e = await failure(connectorMessenger().send(channel, { text: 'hello' }, 'root-1'));
    expect(e).toMatchObject({ status: 429, retryAfterMs: 7000 });
    expect(connector.calls).toHaveLength(1);
  });

  it('hands back an update the service refuses, as final', async () => {
    connector.failNext({ status: 404 });
    const e = await failure(connectorMessenger().update(channel, 'activity-9', { text: 'changed' }));
    expect(e).toMatchObject({ status: 404, retryable: false });
    expect(connector.calls.map((c) => [c.method, c.activityId])).toEqual([['PUT', 'activity-9']]);
  });
});
