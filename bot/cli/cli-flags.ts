import { FLAG_WORDS } from '../../scheduler/domain/flag-words.js';
import type { Flag } from '../../scheduler/domain/flags.js';
import { loadReview, OPERATOR } from '../../scheduler/review/review-query.js';
import type { AppConfig } from '../config.js';
import { request } from './cli-review.js';
import { nowFrom, refuse, withStore, type CliIo, type Values } from './io.js';

/** A flag as JSON (CONTRACT.md): code, panel, force or null, month or meeting, and the facts. */
const asJson = (f: Flag) => ({
  code: f.code, panelId: f.panelId, forceId: f.forceId ?? null, ...(f.month ? { month: f.month } : {}), ...(f.meetingId ? { meetingId: f.meetingId } : {}),
  ...(f.apologies !== undefined ? { apologies: f.apologies } : {}), facts: f.facts,
});

/** `panel-bot flags`: the open compliance flags in scope (a force, area or panel) and period (default: the last 12 months), in plain words. */
export async function flagsCommand(values: Values, config: Readonly<AppConfig>, io: CliIo): Promise<number> {
  const now = nowFrom(values);
  const req = request(values, now);
  return withStore(config, async (store) => {
    const r = await loadReview(store, OPERATOR, req, now);
    if (!r.ok) return refuse(io, r.error.message);
    const flags = r.value.review.flags;
    if (values.json) io.out(JSON.stringify(flags.map(asJson), null, 2));
    else if (!flags.length) io.out('No open flags in this scope and period.');
    else io.out(flags.map((f) => `${FLAG_WORDS[f.code].title} (${f.code}): ${f.panelId}${f.forceId ? `, ${f.forceId}` : ''}: ${f.facts}`).join('\n'));
    return 0;
  });
}
