import { lastIncludedDay } from '../../domain/date-range.js';
import { localDate } from '../../domain/timetable.js';
import type { ReviewRequest } from '../review-query.js';
import type { Review } from '../review.js';

/** Longest scope part of a file name: a lead of many forces still gets a name a file system takes. */
const SCOPE_MAX = 60;

/** The scope as a file name says it: the force, area or panel asked for by id, "all forces", or the ids in scope. */
export function scopeWord(r: Review, req: ReviewRequest): string {
  if (req.areaId) return req.areaId;
  if (req.panelId && !req.forceId) return req.panelId;
  if (req.forceId) return req.panelId ? `${req.forceId} ${req.panelId}` : req.forceId;
  if (!r.scope.forces && !r.scope.panels) return 'all forces';
  return (r.scope.forces ?? r.scope.panels ?? []).join(' ');
}

/**
 * An export's file name, marking first so it is seen before the file is opened:
 * `OFFICIAL-SENSITIVE review cambs 2026-01-01 to 2026-06-30.csv`. ASCII letters, digits, spaces, dots and hyphens
 * only (anything else becomes a hyphen), so it passes through Content-Disposition, zip files and every file system.
 */
export function reportFileName(marking: string, r: Review, req: ReviewRequest, ext: 'csv' | 'docx' | 'pdf'): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9 .-]+/g, '-').replace(/\s+/g, ' ').trim();
  const scope = safe(scopeWord(r, req)).slice(0, SCOPE_MAX).trim();
  return `${safe(marking)} review ${scope} ${localDate(r.from)} to ${lastIncludedDay(r.to, r.now)}.${ext}`.replace(/^[.\s-]+/, '');
}

/** The Content-Disposition of a download: an attachment under that (already ASCII-safe) name. */
export const attachment = (fileName: string): string => `attachment; filename="${fileName}"`;
