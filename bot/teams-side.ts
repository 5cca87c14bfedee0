import type { Messenger } from '../scheduler/messenger.js';
import type { Authenticator } from './auth.js';
import type { AppConfig } from './config.js';
import { dbStorage } from './db-storage.js';
import type { RouteDeps } from './routes/deps.js';
import { registerNominationRoutes } from './routes/nomination-routes.js';
import { registerMeetingRoutes } from './routes/meeting-routes.js';
import { registerChairRoutes } from './routes/chair-routes.js';
import { registerReviewRoutes } from './routes/review-routes.js';
import { registerSignoffRoutes } from './routes/signoff-routes.js';
import { registerCalendarRoutes } from './routes/calendar-routes.js';
import { createTeamsApp, type PanelAdapter, type TeamsApp, type TeamsAppDeps } from './teams-app.js';
import { teamsMessenger } from './teams-messenger.js';

// The Teams half of the server: botbuilder, teams-ai and every Teams route. It is about two thirds of what the bot
// would load at start-up, in time and memory, and an idle server (health checks, the scheduler with nothing to send)
// needs none of it, so compose.ts imports this module when the first activity arrives or the first message is sent.

/** In-process knobs that are not configuration: test-only token validation endpoints, rate limits with their clock. */
export type BotOptions = Pick<TeamsAppDeps, 'authOverrides' | 'rateLimits'>;

/** What the HTTP server and the outbox use of the Teams side. */
export interface TeamsSide {
  app: Pick<TeamsApp, 'run'>;
  adapter: Pick<PanelAdapter, 'authenticate' | 'runAuthenticated'>;
  authenticate: Authenticator;
  messenger: Messenger;
}

/** Every feature's Teams routes; the catch-all is added after these by createTeamsApp. */
function registerRoutes(app: TeamsApp, deps: RouteDeps, config: Readonly<AppConfig>): void {
  registerMeetingRoutes(app, deps); // First: a Teams meeting event's sender is set aside before the conversation is recorded.
  registerNominationRoutes(app, deps);
  registerChairRoutes(app, deps, config.nominationTimings.escalationWorkingDays);
  // Before the review's own route, which would read `signoff` as a mistyped force or panel id.
  registerSignoffRoutes(app, deps);
  registerReviewRoutes(app, deps, config);
  registerCalendarRoutes(app, deps, config);
}

/** The teams-ai Application with every route, its adapter, and the messenger the outbox sends through. */
export function teamsSide(config: Readonly<AppConfig>, deps: RouteDeps, options: BotOptions = {}): TeamsSide {
  const storage = dbStorage(deps.store, deps.clock);
  const { app, adapter, authenticate } = createTeamsApp({ config, log: deps.log, register: (a) => registerRoutes(a, deps, config), storage, ...options });
  return { app, adapter, authenticate, messenger: teamsMessenger(adapter, config.appId) };
}
