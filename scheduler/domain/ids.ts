/**
 * An Entra object id: a GUID. The last group may have 13 hex digits because the Microsoft 365 Agents
 * Playground's built-in users carry ids of that shape (00000000-0000-0000-0000-0000000000020), and local
 * trials of the bot run as them.
 */
export const AAD_OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12,13}$/i;
