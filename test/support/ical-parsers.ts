import ICAL from 'ical.js';
import nodeIcal from 'node-ical';
import { DateTime } from 'luxon';

/** One expanded occurrence, as a calendar would show it: wall-clock times in Europe/London. */
export interface SeenEvent {
  uid: string;
  start: string; // yyyy-MM-dd HH:mm, Europe/London
  end: string;
  status: string;
  sequence: number;
  summary: string;
  description: string;
}

const london = (d: Date) => DateTime.fromJSDate(d).setZone('Europe/London').toFormat('yyyy-MM-dd HH:mm');
const byStart = (a: SeenEvent, b: SeenEvent) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.uid < b.uid ? -1 : 1);

/** Parses and expands a feed with ical.js (Mozilla's parser), resolving TZIDs through the feed's own VTIMEZONE. */
export function expandWithIcalJs(ics: string): SeenEvent[] {
  const root = new ICAL.Component(ICAL.parse(ics));
  for (const tz of root.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz);
  const out: SeenEvent[] = [];
  for (const v of root.getAllSubcomponents('vevent')) {
    const e = new ICAL.Event(v);
    const it = e.iterator();
    for (let next = it.next(); next; next = it.next()) {
      const occ = e.getOccurrenceDetails(next);
      out.push({
        uid: e.uid,
        start: london(occ.startDate.toJSDate()),
        end: london(occ.endDate.toJSDate()),
        status: String(v.getFirstPropertyValue('status') ?? ''),
        sequence: e.sequence,
        summary: e.summary,
        description: e.description,
      });
    }
  }
  return out.sort(byStart);
}

/** Parses and expands a feed with node-ical, an independent implementation. */
export function expandWithNodeIcal(ics: string): SeenEvent[] {
  const parsed = nodeIcal.sync.parseICS(ics);
  const out: SeenEvent[] = [];
  for (const c of Object.values(parsed)) {
    if (!c || c.type !== 'VEVENT') continue;
    const instances = nodeIcal.expandRecurringEvent(c, { from: new Date('1990-01-01'), to: new Date('2100-01-01') });
    for (const i of instances) {
      out.push({
        uid: c.uid,
        start: london(i.start),
        end: london(i.end),
        status: String(c.status ?? ''),
        sequence: Number(c.sequence),
        summary: String(typeof c.summary === 'string' ? c.summary : (c.summary as { val: string }).val),
        description: String(typeof c.description === 'string' ? c.description : ((c.description as { val?: string } | undefined)?.val ?? '')),
      });
    }
  }
  return out.sort(byStart);
}
