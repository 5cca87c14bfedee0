import type { Log } from '../../scheduler/log.js';

/** The part of an OpenTelemetry span a processor may rewrite as it starts (a structural type: the SDK is optional). */
interface StartingSpan {
  readonly attributes?: Record<string, unknown>;
  setAttribute(key: string, value: string): unknown;
}

/** URL attributes the HTTP instrumentation records, old and new semantic conventions. */
const URL_KEYS = ['http.url', 'http.target', 'url.full', 'url.path', 'url.query', 'http.route'];

/**
 * A calendar token or a signed report id is a credential, and a Bot Connector URL carries a conversation id: each
 * is replaced by a placeholder before a span leaves the process.
 */
export function redactUrl(text: string): string {
  return text
    .replace(/\/calendar\/[^/?#]+/g, '/calendar/{token}')
    .replace(/\/reports\/[^/?#]+/g, '/reports/{id}')
    .replace(/\/conversations\/[^/?#]+/g, '/conversations/{id}')
    .replace(/\/activities\/[^/?#]+/g, '/activities/{id}')
    .replace(/\/members\/[^/?#]+/g, '/members/{id}')
    .replace(/\?.*$/, '');
}

/** A span processor that rewrites URL attributes as each span starts, so no exporter ever sees the originals. */
export const redactingProcessor = {
  onStart(span: StartingSpan): void {
    for (const key of URL_KEYS) {
      const value = span.attributes?.[key];
      // A query string (`url.query` holds it without its "?") is dropped whole: it may carry anything.
      if (typeof value === 'string') span.setAttribute(key, key === 'url.query' ? '' : redactUrl(value));
    }
  },
  onEnd(): void {},
  forceFlush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
};

/**
 * Starts OpenTelemetry with the Azure Monitor exporter. Loaded only when a connection string is configured, so a
 * bot without one loads none of it; it must run before the modules it instruments (http, pg) are imported, which
 * is why main.ts calls it before it imports the rest of the bot. Returns what flushes and stops it at shutdown.
 */
export async function startAzureMonitor(connectionString: string, log: Log): Promise<() => Promise<void>> {
  let azure: typeof import('@azure/monitor-opentelemetry');
  try {
    azure = await import('@azure/monitor-opentelemetry');
  } catch (err) {
    throw new Error(
      `APPLICATIONINSIGHTS_CONNECTION_STRING is set but @azure/monitor-opentelemetry could not be loaded (${(err as Error).message}); ` +
        'it is an optional dependency: install without --omit=optional, or unset the variable',
    );
  }
  azure.useAzureMonitor({
    azureMonitorExporterOptions: { connectionString },
    // The bot's pino logs stay on stdout (App Service collects them); traces and metrics go to Azure Monitor.
    instrumentationOptions: { http: { enabled: true }, postgreSql: { enabled: true }, azureSdk: { enabled: false }, mongoDb: { enabled: false }, mySql: { enabled: false }, redis: { enabled: false }, redis4: { enabled: false }, bunyan: { enabled: false }, winston: { enabled: false } },
    enableLiveMetrics: false,
    spanProcessors: [redactingProcessor as never],
  });
  log.info({ exporter: 'azure-monitor' }, 'OpenTelemetry exporting to Azure Monitor');
  return () => azure.shutdownAzureMonitor();
}
