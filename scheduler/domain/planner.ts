import type { Meeting, PlannedMeeting } from './types.js';

export interface PlanDiff {
  create: Meeting[];
  update: Array<{ before: Meeting; after: Meeting }>;
  remove: Meeting[];
}

/** A meeting nobody has acted on yet, still in the future: the only kind the planner may change or remove. */
export function isPlain(m: Meeting, now: string): boolean {
  return m.status === 'scheduled' && !m.locked && !m.extra && m.start > now;
}

const sameTimes = (m: Meeting, p: PlannedMeeting) =>
  m.start === p.start && m.end === p.end && (m.moved?.from ?? null) === (p.moved?.from ?? null) && (m.moved?.reason ?? null) === (p.moved?.reason ?? null);

/**
 * Reconciles one panel's stored future meetings with its plan for the window [now, horizon).
 * Held, cancelled, locked (acted on), extra and past meetings are never touched; a plain meeting the
 * plan no longer contains is removed; a plain one whose planned time changed is updated in place.
 */
export function planDiff(existing: Meeting[], planned: PlannedMeeting[], now: string, horizon: string): PlanDiff {
  const byId = new Map(existing.map((m) => [m.id, m]));
  const plannedIds = new Set(planned.map((p) => p.id));
  const diff: PlanDiff = { create: [], update: [], remove: [] };
  for (const p of planned) {
    if (p.start <= now || p.start >= horizon) continue;
    const m = byId.get(p.id);
    if (!m) {
      diff.create.push({ ...p, status: 'scheduled', extra: false, version: 1, locked: false });
    } else if (isPlain(m, now) && !sameTimes(m, p)) {
      diff.update.push({ before: m, after: { ...m, start: p.start, end: p.end, moved: p.moved, version: m.version + 1 } });
    }
  }
  for (const m of existing) {
    if (isPlain(m, now) && m.start < horizon && !plannedIds.has(m.id)) diff.remove.push(m);
  }
  return diff;
}

/** True when the diff would change nothing. */
export function isEmptyDiff(d: PlanDiff): boolean {
  return d.create.length === 0 && d.update.length === 0 && d.remove.length === 0;
}
