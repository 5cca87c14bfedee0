// The load bench's baseline, run as a child process of its own (bench/ipc.ts): a teams-ai Application on the bot's
// own restify server and CloudAdapter set-up (bot/http.ts, bot/teams-app.ts: the same body limit, activity check,
// token step, tenant and rate-limit gates), answering every card action at once with a fixed card. What the bot
// takes beyond this is its own work.
import type { AdaptiveCard } from '@microsoft/teams-ai';
import { loadConfig } from '../bot/config.js';
import { startHttpServer } from '../bot/http.js';
import { createTeamsApp } from '../bot/teams-app.js';
import { silentLog } from '../scheduler/log.js';
import { childArg, serveParent } from './ipc.js';

const CARD: AdaptiveCard = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'echo' }] };

const { env, rateLimits } = childArg<{ env: Record<string, string>; rateLimits: object }>();
const config = loadConfig(env);
const { app, adapter, authenticate } = createTeamsApp({
  config,
  log: silentLog,
  rateLimits,
  register: (a) => a.adaptiveCards.actionExecute(async (ctx) => ctx.activity.type === 'invoke', async () => CARD),
});
const server = await startHttpServer({ config, log: silentLog, adapter, app, health: async () => true, authenticate });
serveParent({ url: server.url }, { stop: () => server.close() });
