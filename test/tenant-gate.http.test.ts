import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../bot/config.js';
import { startHttpServer, type RunningServer } from '../bot/http.js';
import { createTeamsApp } from '../bot/teams-app.js';
import { FakeConnector, teamsMessage } from './support/fake-connector.js';
import { recordingLog } from './support/recording-log.js';

const TENANT = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const OTHER = 'b5a7c1d2-0e9f-4a8b-9c7d-6e5f4a3b2c1d';

// Regression: the gate compared tenant ids as typed, so an allow-list in upper case refused its own tenant.
describe('the tenant gate compares tenant GUIDs case-insensitively', () => {
  let connector: FakeConnector;
  let server: RunningServer | undefined;
  let log: ReturnType<typeof recordingLog>;

  async function start(allowed: string): Promise<void> {
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', ALLOWED_TENANT_IDS: allowed });
    log = recordingLog();
    const { app, adapter, authenticate } = createTeamsApp({ config, log });
    server = await startHttpServer({ config, log, adapter, app, authenticate, health: async () => true });
  }
  const say = (tenant: string, conversationId: string) =>
    fetch(`${server!.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(teamsMessage(connector.url, 'help', { tenant, conversationId })) });
  // A turn sends its reply before the POST is answered, so once both POSTs are back there is nothing left to wait for.
  const answered = () => connector.posts().map((p) => p.conversationId).sort();
  const refusedTenants = () => log.lines.filter((l) => l.msg === 'activity from a tenant outside ALLOWED_TENANT_IDS refused').map((l) => (l.obj as { tenant: unknown }).tenant);

  beforeEach(async () => {
    connector = new FakeConnector();
    await connector.start();
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await connector.stop();
  });

  it('admits a lower-case activity tenant when the allow-list names it in upper case', async () => {
    await start(TENANT.toUpperCase());
    expect((await say(TENANT, 'a:lower')).status).toBe(200);
    expect((await say(OTHER, 'a:other')).status).toBe(200);
    expect(answered()).toEqual(['a:lower']);
    expect(refusedTenants()).toEqual([OTHER]);
  });

  it('admits an upper-case activity tenant when the allow-list names it in lower case', async () => {
    await start(TENANT);
    expect((await say(TENANT.toUpperCase(), 'a:upper')).status).toBe(200);
    expect((await say(OTHER.toUpperCase(), 'a:other')).status).toBe(200);
    expect(answered()).toEqual(['a:upper']);
    expect(refusedTenants()).toEqual([OTHER.toUpperCase()]);
  });
});
