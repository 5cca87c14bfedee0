import { TeamsInfo, type TurnContext } from 'botbuilder';
import { AAD_OBJECT_ID } from '../scheduler/domain/ids.js';
import type { Person } from '../scheduler/domain/types.js';

/**
 * The person a picker value names. Teams' person picker sends an Entra object id; the Agents Playground's
 * picker sends its mock users' Teams ids (`user-id-2`). A static choice the card offered is taken as is;
 * anything else must be a member of this conversation's team or chat, as Teams knows them, so the bot
 * never records a name it cannot vouch for.
 */
export async function resolvePickedPerson(ctx: TurnContext, offered: readonly Person[], value: string): Promise<Person | null> {
  const aad = AAD_OBJECT_ID.test(value) ? value.toLowerCase() : null;
  const choice = aad ? offered.find((p) => p.aadObjectId === aad) : undefined;
  if (choice) return choice;
  try {
    const member = await TeamsInfo.getMember(ctx, value);
    const memberAad = member?.aadObjectId?.toLowerCase();
    return member?.name && memberAad && AAD_OBJECT_ID.test(memberAad) ? { aadObjectId: memberAad, name: member.name } : null;
  } catch {
    return null;
  }
}
