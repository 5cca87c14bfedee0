import type { DecisionAnswer, Force, Person, RoleCategory, Unit } from '../scheduler/domain/types.js';

// Who plays whom in the demo's invented year. Everyone comes from config/panels.sample.yaml (invented people with
// invented ids), plus one officer per force invented here, so that a force can send someone other than its leads:
// substitutes, a regional officer, and a panel that sees three different people in four meetings.

/** A police officer as the demo records them: who, and what the chair's card would answer about them. */
export interface Officer {
  person: Person;
  roleCategory: RoleCategory;
  role: string;
  unit: Unit;
  /** What the force says when it names them: only its leads and deputies are confirmed decision makers. */
  confirmed: boolean;
}

/** A force's people, most regular first: [0] usually attends, [1] stands in, [2] is the invented officer. */
export interface ForceCast {
  force: Force;
  people: Officer[];
  /** Who names the force's attendee and answers for it (its first Prevent lead). */
  lead: Person;
}

/** 0 the regular attendee, 1 the one who stands in, 2 the invented officer (fewer people: the last one). */
export type Who = 0 | 1 | 2;

/** An attendee the chair records, with the decision-maker answer the chair gives. */
export type Present = readonly [Who, DecisionAnswer];

/** Invented for the demo (not in the sample file): one officer per force, with ids that say "demo" (de30). */
const INVENTED: Record<string, { name: string; roleCategory: RoleCategory; role: string; unit: Unit }> = {
  cambs: { name: 'Ravi Anand', roleCategory: 'regional-ctu-officer', role: 'Detective Constable, regional CTU', unit: 'regional' },
  hampshire: { name: 'Chloe Marsh', roleCategory: 'neighbourhood-officer', role: 'Police Constable, neighbourhood team', unit: 'local' },
  notts: { name: 'Daniel Okoye', roleCategory: 'neighbourhood-officer', role: 'Police Sergeant, neighbourhood team', unit: 'local' },
  cumbria: { name: 'Beth Holt', roleCategory: 'channel-practitioner', role: 'Police Staff, Channel practitioner', unit: 'local' },
  leics: { name: 'Chris Dale', roleCategory: 'regional-ctu-officer', role: 'Detective Constable, regional CTU', unit: 'regional' },
  'devon-cornwall': { name: 'Jo Treloar', roleCategory: 'prevent-officer', role: 'Police Constable, Prevent', unit: 'local' },
};

const invented = (forceId: string, index: number): Officer | null => {
  const who = INVENTED[forceId];
  if (!who) return null;
  const aadObjectId = `de300000-0000-4000-8000-${String(index + 1).padStart(12, '0')}`;
  return { person: { aadObjectId, name: who.name }, roleCategory: who.roleCategory, role: who.role, unit: who.unit, confirmed: false };
};

const deputy = (p: Person): Officer => ({ person: p, roleCategory: 'prevent-officer', role: 'Detective Sergeant, Prevent', unit: 'local', confirmed: true });
const lead = (p: Person): Officer => ({ person: p, roleCategory: 'prevent-supervisor', role: 'Detective Inspector, Prevent', unit: 'local', confirmed: true });

/** Each force's cast, by force id: its deputies, then its leads, then the invented officer. */
export function castOf(forces: readonly Force[]): Map<string, ForceCast> {
  return new Map(
    forces.map((force, i) => {
      const people = [...force.deputies.map(deputy), ...force.preventLeads.map(lead), ...[invented(force.id, i)].filter((o): o is Officer => !!o)];
      return [force.id, { force, people, lead: force.preventLeads[0]! }];
    }),
  );
}

/** The officer a Who stands for (a force with fewer people: its last). */
export const officer = (cast: ForceCast, who: Who): Officer => cast.people[Math.min(who, cast.people.length - 1)]!;
