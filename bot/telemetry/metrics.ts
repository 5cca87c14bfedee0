import { performance } from 'node:perf_hooks';
import { metrics as otelMetrics, type Meter } from '@opentelemetry/api';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { JobObserver } from '../../scheduler/scheduler.js';
import type { OutboxDepth } from '../../scheduler/store/store.js';
import type { HttpObserver } from '../http.js';
import type { SendObserver, SendOutcome } from '../outbox-sender.js';
import { fetchLabel, invokeLabel, slugLabel } from './labels.js';

export interface MetricsDeps {
  /** The outbox as it stands, read each time the figures are scraped or exported. */
  outboxDepth: () => Promise<OutboxDepth[]>;
  /** A monotonic clock in seconds, for durations. */
  seconds?: () => number;
}

/** The bot's figures: every observer the shell hands out, and the Prometheus text of what they saw. */
export interface BotMetrics extends SendObserver, JobObserver, HttpObserver {
  readonly contentType: string;
  render(): Promise<string>;
}

const PREFIX = 'panelbot_';
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const JOB_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300];

type Labels = Record<string, string>;

/** A counter in both worlds: Prometheus, and OpenTelemetry (a no-op unless Azure Monitor registered a meter provider). */
function counter(registry: Registry, meter: Meter, name: string, help: string, labelNames: string[]): (labels: Labels) => void {
  const prom = new Counter({ name: `${PREFIX}${name}_total`, help, labelNames, registers: [registry] });
  const otel = meter.createCounter(`panelbot.${name}`, { description: help });
  return (labels) => {
    prom.inc(labels);
    otel.add(1, labels);
  };
}

function histogram(registry: Registry, meter: Meter, name: string, help: string, labelNames: string[], buckets: number[]): (labels: Labels, seconds: number) => void {
  const prom = new Histogram({ name: `${PREFIX}${name}_seconds`, help, labelNames, buckets, registers: [registry] });
  const otel = meter.createHistogram(`panelbot.${name}`, { description: help, unit: 's' });
  return (labels, seconds) => {
    prom.observe(labels, seconds);
    otel.record(seconds, labels);
  };
}

/** A three-digit HTTP status as a label; anything else (none) is `none`. */
const statusLabel = (status: number): string => (Number.isInteger(status) && status >= 100 && status <= 599 ? String(status) : 'none');

/** The outbox depth gauge, read from the store at scrape time; a store that does not answer leaves it empty and says so. */
function outboxGauges(registry: Registry, meter: Meter, depth: () => Promise<OutboxDepth[]>): void {
  const up = new Gauge({ name: `${PREFIX}outbox_depth_readable`, help: '1 when the last scrape could read the outbox from the store, else 0', registers: [registry] });
  new Gauge({
    name: `${PREFIX}outbox_messages`,
    help: 'Outbox messages not yet sent, by kind and state (due, retrying, deferred, failed)',
    labelNames: ['kind', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      try {
        for (const r of await depth()) this.set({ kind: slugLabel(r.kind), state: r.state }, r.count);
        up.set(1);
      } catch {
        up.set(0);
      }
    },
  });
  meter.createObservableGauge('panelbot.outbox.messages', { description: 'Outbox messages not yet sent, by kind and state' }).addCallback(async (result) => {
    for (const r of await depth().catch(() => [])) result.observe(r.count, { kind: slugLabel(r.kind), state: r.state });
  });
}

/** The bot's metrics on a registry of its own (two bots in one process, as tests run them, keep theirs apart). */
export function createMetrics(deps: MetricsDeps): BotMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: PREFIX });
  const meter = otelMetrics.getMeter('channel-panel-bot');
  const seconds = deps.seconds ?? (() => performance.now() / 1000);
  const sends = counter(registry, meter, 'outbox_sends', 'Outbox messages handled, by kind and outcome (sent, throttled = 429, retried, failed, skipped, returned at shutdown)', ['kind', 'outcome']);
  const invokes = histogram(registry, meter, 'invoke_duration', 'Time to answer an invoke (a card press), by verb and status', ['verb', 'status'], LATENCY_BUCKETS);
  const jobRuns = counter(registry, meter, 'scheduler_job_runs', 'Scheduler job runs, by job and outcome', ['job', 'outcome']);
  const jobTimes = histogram(registry, meter, 'scheduler_job_duration', 'Scheduler job run time, by job', ['job'], JOB_BUCKETS);
  const fetches = counter(registry, meter, 'http_fetches', 'Calendar feed and report fetches, by route and status', ['route', 'status']);
  const fetchTimes = histogram(registry, meter, 'http_fetch_duration', 'Time to answer a calendar feed or report fetch, by route', ['route'], LATENCY_BUCKETS);
  outboxGauges(registry, meter, deps.outboxDepth);
  const timed = (done: (elapsed: number) => void) => {
    const start = seconds();
    return () => done(seconds() - start);
  };
  return {
    contentType: registry.contentType,
    render: () => registry.metrics(),
    sendOutcome: (kind: string, outcome: SendOutcome) => sends({ kind: slugLabel(kind), outcome }),
    started: (job) => {
      let outcome = 'ok';
      const end = timed((s) => {
        jobRuns({ job: slugLabel(job), outcome });
        jobTimes({ job: slugLabel(job) }, s);
      });
      return (o) => {
        outcome = o;
        end();
      };
    },
    invoke: (name, verb) => {
      const labels = { verb: invokeLabel(name, verb), status: 'none' };
      const end = timed((s) => invokes(labels, s));
      return (status) => {
        labels.status = statusLabel(status);
        end();
      };
    },
    fetch: (pathTemplate, requested) => {
      const route = fetchLabel(pathTemplate, requested);
      let status = 'none';
      const end = timed((s) => {
        fetches({ route, status });
        fetchTimes({ route }, s);
      });
      return (code) => {
        status = statusLabel(code);
        end();
      };
    },
  };
}
