import type { TurnContext } from 'botbuilder';
import type { AdaptiveCard } from '@microsoft/teams-ai';
import { z } from 'zod';
import { areasOf } from '../../scheduler/domain/areas.js';
import { callerTenantOf } from '../caller-tenant.js';
import { accessFor, canActForForce, canActForForceOn, canActForPanel, hasRole, mayView, seesAll, seesArea, seesForce, seesPanel, type Access } from '../../scheduler/people/access.js';
import { asksForce } from '../../scheduler/meetings/invitations.js';
import type { Store } from '../../scheduler/store/store.js';
import type { TeamsApp } from '../teams-app.js';

/**
 * The one gate every card action and command passes through (house rule 14). Before a handler reads, renders,
 * resolves a person or validates its data, the gate decides from the store who the caller is and whether they
 * may touch what the press or command names. A caller who may not gets the route's refusal: a fixed sentence
 * that names nothing, so it reads the same whether or not the meeting, panel or force exists.
 *
 * Read-only roles (a PCC's office, an inspector, a regional unit) pass only the claims that show: `anyone`, `role`,
 * `view` and `audit`. Every claim that acts asks `canActFor*`, which no read-only role satisfies, so whatever a
 * read-only person presses that would change something is refused with the route's sentence.
 */

/** What a handler answers: text, or an Adaptive Card's JSON. */
export type Reply = string | Record<string, unknown>;

/** What a press or command names, read from its data by shape alone (nothing is looked up to decide this). */
export type Claim =
  /** Anyone: the use case answers with the caller's own things only (their panels, their feeds). */
  | { kind: 'anyone' }
  /** National leads only: what a press names is not even shaped like an id, so only someone who sees everything may go on. */
  | { kind: 'national' }
  /** Anyone with a role, read-only ones included: the handler then shows or offers only what their roles allow. */
  | { kind: 'role' }
  /** The audit log's check: national leads and HMICFRS inspectors. */
  | { kind: 'audit' }
  /** Someone who acts for some force (lead, deputy, national). */
  | { kind: 'lead' }
  /** Someone with any role that acts (chair, lead, deputy, area team, national): never a read-only role. */
  | { kind: 'acts' }
  /** Someone who chairs some panel (or a national lead). */
  | { kind: 'chair' }
  | { kind: 'force'; forceId: string }
  | { kind: 'panel'; panelId: string }
  /** A force's part in a meeting: the force's leads and deputies, when the meeting's panel faces the force or it was invited to the meeting. */
  | { kind: 'meeting-force'; meetingId: string; forceId: string }
  /** As `meeting-force`, and also the person the force named to attend that meeting (whatever roles they hold). */
  | { kind: 'meeting-force-or-nominee'; meetingId: string; forceId: string }
  /** A meeting as its panel's chairs act on it. */
  | { kind: 'meeting-chair'; meetingId: string }
  /**
   * A review or history scope the caller must be able to see. `word` is typed text meant to name a force or panel:
   * anyone with a role goes on, and the handler answers a word naming nothing they may see (whether or not it names
   * something) with what they may see instead, nearest first.
   */
  | { kind: 'view'; forceId?: string; panelId?: string; areaId?: string; word?: string };

/** A route's rule: what its input names, and the sentence a caller who may not touch it is given. */
export interface Policy {
  claim: (input: unknown) => Claim;
  refusal: string;
}

/** Who is asking, decided by the gate; handlers take roles from here, never from card data. */
export interface Caller {
  aadObjectId: string;
  access: Access;
  /** The route's refusal, for a use case that refuses after the gate (a role removed in between). */
  refusal: string;
}

export type ActionHandler = (ctx: TurnContext, caller: Caller, raw: unknown) => Promise<Reply>;
/** A command's handler returns what to send; `null` sends nothing. */
export type CommandHandler = (ctx: TurnContext, caller: Caller) => Promise<Reply | null>;

const actsForSomeForce = (a: Access) => a.national || a.forces.size > 0 || a.areas.size > 0;
const chairsSomePanel = (a: Access) => a.national || a.panels.size > 0;

/** Whether the caller may touch what the claim names, decided from the store. */
export async function permits(store: Store, access: Access, claim: Claim): Promise<boolean> {
  switch (claim.kind) {
    case 'anyone':
      return true;
    case 'national':
      return access.national;
    case 'role':
      return mayView(access);
    case 'audit':
      return access.national || access.readsAll;
    case 'lead':
      return actsForSomeForce(access);
    case 'acts':
      return hasRole(access);
    case 'chair':
      return chairsSomePanel(access);
    case 'force':
      return canActForForce(access, claim.forceId);
    case 'panel':
      return canActForPanel(access, claim.panelId);
    case 'meeting-force':
      return meetingFaces(store, access, claim.meetingId, claim.forceId);
    case 'meeting-force-or-nominee':
      return (await namedFor(store, access, claim.meetingId, claim.forceId)) || (await meetingFaces(store, access, claim.meetingId, claim.forceId));
    case 'meeting-chair':
      return chairsSomePanel(access) && (await meetingChaired(store, access, claim.meetingId));
    case 'view':
      return mayView(access) && (await sees(store, access, claim));
  }
}

// A national lead passes for a meeting that does not exist: the handler then says it is not known, which
// tells someone who may see everything nothing they could not see anyway. Anyone else is refused, except for a
// meeting deleted since this process read it (panelOfMeeting): whoever may now act on its panel (for its force) gets
// past, and the handler, reading it afresh, says it is no longer known or refuses as for any meeting it cannot find.
/** The caller acts for the force on this meeting's panel (the force's leads, or its area's team), and the meeting asks the force. */
async function meetingFaces(store: Store, access: Access, meetingId: string, forceId: string): Promise<boolean> {
  const panelId = await panelOfMeeting(store, meetingId);
  if (!panelId) return access.national;
  if (!canActForForceOn(access, forceId, panelId)) return false;
  const panel = await store.directory.getPanel(panelId);
  return !!panel && (await asksForce(store, { id: meetingId }, panel, forceId));
}

/** The caller is the person the force named for the meeting (no nomination exists for a meeting that does not). */
async function namedFor(store: Store, access: Access, meetingId: string, forceId: string): Promise<boolean> {
  if (!access.aadObjectId) return false;
  return (await store.nominations.get(meetingId, forceId))?.aadObjectId.toLowerCase() === access.aadObjectId;
}

async function meetingChaired(store: Store, access: Access, meetingId: string): Promise<boolean> {
  const panelId = await panelOfMeeting(store, meetingId);
  return panelId ? canActForPanel(access, panelId) : access.national;
}

/**
 * Which panel a meeting belongs to, remembered per store once read: a meeting never changes panel (its id begins
 * with the panel's, and nothing writes another `panel_id` to it), so the gate of every later press on it costs no
 * read. A meeting deleted since (re-planned away, or past retention) still passes here for whoever may now act on its
 * panel; its handler reads it afresh and answers as for a meeting it cannot find, as it must for a meeting deleted
 * between the gate and the handler anyway. Nothing is remembered of a meeting that does not exist. A refused caller
 * reads the same answer either way.
 */
const meetingPanels = new WeakMap<Store, Map<string, string>>();
const MEETING_PANELS_MAX = 100_000;
async function panelOfMeeting(store: Store, meetingId: string): Promise<string | null> {
  let known = meetingPanels.get(store);
  if (!known) meetingPanels.set(store, (known = new Map()));
  const remembered = known.get(meetingId);
  if (remembered !== undefined) return remembered;
  const meeting = await store.meetings.get(meetingId);
  if (!meeting) return null;
  if (known.size >= MEETING_PANELS_MAX) known.clear();
  known.set(meetingId, meeting.panelId);
  return meeting.panelId;
}

async function sees(store: Store, access: Access, claim: { forceId?: string; panelId?: string; areaId?: string; word?: string }): Promise<boolean> {
  if (claim.areaId && !(await seesAreaId(store, access, claim.areaId))) return false;
  if (seesAll(access) || claim.word) return true;
  if (claim.forceId && !seesForce(access, claim.forceId)) return false;
  return !claim.panelId || (await seesPanelId(store, access, claim.panelId));
}

/** An area of a live force that the caller reads (seesArea); an area that does not exist is refused the same way. */
async function seesAreaId(store: Store, access: Access, areaId: string): Promise<boolean> {
  const area = areasOf(await store.directory.listForces()).find((a) => a.id === areaId);
  return !!area && seesArea(access, area);
}

/** Its chairs see a panel without a read; anyone else as seesPanel decides, once it is loaded. */
async function seesPanelId(store: Store, access: Access, panelId: string): Promise<boolean> {
  if (access.panels.has(panelId)) return true;
  // Retired panels too: a retired panel's history stays theirs to review (it is kept for years), as reviewScope allows.
  const panel = await store.directory.getPanel(panelId);
  return !!panel && seesPanel(access, panel);
}

/** Runs the gate: the caller's roles from the store, then the claim; null when refused. */
async function admit(store: Store, ctx: TurnContext, policy: Policy, input: unknown): Promise<Caller | null> {
  const aadObjectId = ctx.activity.from?.aadObjectId?.toLowerCase() ?? '';
  const who = callerTenantOf(ctx);
  const claim = policy.claim(input);
  const access = await accessFor(store, aadObjectId, who);
  if (await permits(store, access, claim)) return { aadObjectId, access, refusal: policy.refusal };
  // Refused as the host's tenant sees them: someone of another organisation (a council chair in a shared channel) is
  // known by their home tenant, which Teams is asked for now, only for someone the host's tenant would refuse.
  const home = who?.lookup ? await who.lookup() : null;
  if (!who || !home || home === who.tenantId) return null;
  const theirs = await accessFor(store, aadObjectId, { ...who, tenantId: home });
  return (await permits(store, theirs, claim)) ? { aadObjectId, access: theirs, refusal: policy.refusal } : null;
}

/** Our cards are plain JSON built in cards/; teams-ai's type for them is nominal. */
const asTeamsReply = (reply: Reply): string | AdaptiveCard => reply as string | AdaptiveCard;

/** Registers a card action behind the gate. Register every Action.Execute verb this way. */
export function gatedAction(app: TeamsApp, store: Store, verb: string, policy: Policy, handler: ActionHandler): void {
  app.adaptiveCards.actionExecute(verb, async (ctx, _state, raw) => {
    const caller = await admit(store, ctx, policy, raw);
    return asTeamsReply(caller ? await handler(ctx, caller, raw) : policy.refusal);
  });
}

/** Registers a command behind the gate; the policy's claim is given the command text (without the @mention). */
export function gatedCommand(app: TeamsApp, store: Store, pattern: RegExp, policy: Policy, handler: CommandHandler): void {
  app.message(pattern, async (ctx) => {
    const caller = await admit(store, ctx, policy, ctx.activity.text ?? '');
    const reply = caller ? await handler(ctx, caller) : policy.refusal;
    if (reply === null) return;
    await ctx.sendActivity(typeof reply === 'string' ? reply : { attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: reply }] });
  });
}

// Claim readers: they look at the ids' shapes only. Anything else about the data is the handler's to validate,
// after the gate; missing or malformed ids fall back to the least claim of the route's kind.
const ID = /^[a-z0-9-]{1,64}$/;
const MEETING_ID = /^[A-Za-z0-9._:-]{1,200}$/;
const fields = z.object({ meetingId: z.unknown(), forceId: z.unknown(), panelId: z.unknown(), filterScope: z.unknown() }).partial().passthrough();

export interface Ids {
  meetingId?: string;
  forceId?: string;
  panelId?: string;
  scope?: string;
  /** An id is present but not shaped like one: only a national lead's press goes on (to be told what is wrong). */
  malformed: boolean;
}

/** The string ids a card's data names, when they have the shape of ids; nothing else is read. */
export function idsOf(input: unknown): Ids {
  const d = fields.safeParse(input);
  if (!d.success) return { malformed: false };
  let malformed = false;
  const str = (v: unknown, re: RegExp) => {
    if (v === undefined || v === '') return undefined;
    if (typeof v === 'string' && re.test(v)) return v;
    malformed = true;
    return undefined;
  };
  const ids = { meetingId: str(d.data.meetingId, MEETING_ID), forceId: str(d.data.forceId, ID), panelId: str(d.data.panelId, ID) };
  const scope = typeof d.data.filterScope === 'string' ? d.data.filterScope : undefined;
  return { ...ids, ...(scope !== undefined ? { scope } : {}), malformed };
}

/** A claim reader over a card's ids; data whose ids are malformed claims what only a national lead may touch. */
export const fromIds = (build: (ids: Ids) => Claim) => (input: unknown): Claim => {
  const ids = idsOf(input);
  return ids.malformed ? { kind: 'national' } : build(ids);
};

/** A scope filter as cards carry it (`force:<id>`, `panel:<id>`, `all`), as a view claim. */
export function viewClaim(scope: string | undefined): Claim {
  const [kind, id] = (scope ?? '').split(':');
  if (kind === 'force' && id) return { kind: 'view', forceId: id };
  if (kind === 'panel' && id) return { kind: 'view', panelId: id };
  if (kind === 'area' && id) return { kind: 'view', areaId: id };
  return { kind: 'view' };
}
