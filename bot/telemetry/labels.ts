import { VERBS } from '../../cards/verbs.js';

// Every label value the metrics carry comes from a closed list in this file: a forged verb, a token in a URL or an
// id can never become a label, so no label can hold a name, an id or a tenant.

const KNOWN_VERBS = new Set<string>(Object.values(VERBS));
const FETCH_ROUTES = new Set(['calendar', 'reports']);
const FETCH_FORMATS = new Set(['ics', 'csv', 'pdf', 'docx', 'png']);

/** An invoke's label: the card verb when it is one of the bot's own, else `unknown-verb`; other invokes are `other-invoke`. */
export function invokeLabel(name: string | undefined, verb: unknown): string {
  if (name !== 'adaptiveCard/action') return 'other-invoke';
  return typeof verb === 'string' && KNOWN_VERBS.has(verb) ? verb : 'unknown-verb';
}

/** A feature route's label from its path template and what was asked for: `calendar.ics`, `reports.pdf`, … */
export function fetchLabel(pathTemplate: string, requested: string): string {
  const route = pathTemplate.split('/')[1] ?? '';
  if (!FETCH_ROUTES.has(route)) return 'other';
  const format = /\.([a-z]+)$/.exec(requested)?.[1] ?? '';
  return FETCH_FORMATS.has(format) ? `${route}.${format}` : route;
}

/** An outbox kind or a job name as a label: both are closed lists in the code (`card`, `send-outbox`, …); anything else is `other`. */
export const slugLabel = (kind: string): string => (/^[a-z]+(-[a-z]+)*$/.test(kind) && kind.length <= 40 ? kind : 'other');
