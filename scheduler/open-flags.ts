import { DateTime } from 'luxon';
import { accessFor, type Access } from './access.js';
import { computeFlags, type Flag } from './domain/flags.js';
import type { Panel } from './domain/types.js';
import { loadFlagMeetings } from './schedule-view.js';
import type { Store } from './store/store.js';

/** The panels a person may see: a chair their panels, a force lead their force's, a national lead all. */
export function visiblePanels(access: Access, panels: Panel[]): Panel[] {
  if (access.national) return panels;
  return panels.filter((p) => access.panels.has(p.id) || p.forces.some((f) => access.forces.has(f)));
}

/** A flag is visible to whoever may see its panel; a force-specific one only to that force's people (or the chair). */
function visible(access: Access, f: Flag): boolean {
  if (access.national || access.panels.has(f.panelId)) return true;
  return f.forceId ? access.forces.has(f.forceId) : true;
}

/** The flags of the last 12 months (and the month ahead) that the person may see, newest panels' facts first. */
export async function openFlags(store: Store, actor: string, now: string): Promise<{ access: Access; flags: Array<Flag & { panelName: string }> } | null> {
  const access = await accessFor(store, actor);
  if (!access.national && !access.forces.size && !access.panels.size) return null;
  const panels = visiblePanels(access, await store.directory.listPanels());
  const from = DateTime.fromISO(now, { zone: 'utc' }).minus({ months: 12 }).toISO()!;
  const to = DateTime.fromISO(now, { zone: 'utc' }).plus({ months: 1 }).toISO()!;
  const meetings = await loadFlagMeetings(store, await store.meetings.list({ panelIds: panels.map((p) => p.id), from, to }));
  const flags = panels.flatMap((p) => computeFlags(p, meetings, now).filter((f) => visible(access, f)).map((f) => ({ ...f, panelName: p.name })));
  return { access, flags };
}
