import { TeamsInfo, type TurnContext } from 'botbuilder';
import { AAD_OBJECT_ID } from '../../scheduler/domain/ids.js';
import { cleanText } from '../../scheduler/domain/text.js';
import type { Person } from '../../scheduler/domain/types.js';

/**
 * The person a picker value names. Teams' person picker sends an Entra object id; the Agents Playground's
 * picker sends its mock users' Teams ids (`user-id-2`). A static choice the card offered is taken as is;
 * anything else must be a member of this conversation's team or chat, as Teams knows them, so the bot
 * never records a name it cannot vouch for, nor one that is blank once its invisible characters are removed.
 */
export async function resolvePickedPerson(ctx: TurnContext, offered: readonly Person[], value: string): Promise<Person | null> {
  const aad = AAD_OBJECT_ID.test(value) ? value.toLowerCase() : null;
  const choice = aad ? offered.find((p) => p.aadObjectId === aad) : undefined;
  if (choice) return choice;
  try {
    const member = await TeamsInfo.getMember(ctx, value);
    const memberAad = member?.aadObjectId?.toLowerCase();
    const name = cleanText(member?.name ?? '');
    return name && memberAad && AAD_OBJECT_ID.test(memberAad) ? { aadObjectId: memberAad, name } : null;
  } catch {
    return null;
  }
}
