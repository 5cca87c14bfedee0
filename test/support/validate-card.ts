import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// The UMD build parses without a DOM; the package's lib/ build does not load in Node.
const AC = require('adaptivecards/dist/adaptivecards.js');

/** The SDK does not know Teams' person picker; these are its only complaints we accept. */
const PICKER_NOISE = [/"choices\.data" is supported in version 1\.6/, /An Input\.ChoiceSet must have at least one choice defined/];

/** Teams renders this chart element and the SDK does not know it: accepted only when every such chart carries a fallback. */
const CHART_NOISE = /^Unknown element type "Chart\.VerticalBar\.Grouped"\. Fallback will be used if present\.$/;
const chartsWithoutFallback = (json: unknown): number =>
  JSON.stringify(json, (_k, v) => (v && typeof v === 'object' && v.type === 'Chart.VerticalBar.Grouped' && !v.fallback ? { missing: 1 } : v)).split('"missing":1').length - 1;

/** Parses a card with the Adaptive Cards SDK (schema 1.5) and returns every parse and validation event that matters. */
export function cardProblems(json: unknown): string[] {
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  const card = new AC.AdaptiveCard();
  card.parse(json, context);
  const events: Array<{ message: string }> = [];
  for (let i = 0; i < context.eventCount; i++) events.push(context.getEventAt(i));
  events.push(...card.validateProperties().validationEvents);
  return events.map((e) => e.message).filter((m) => !PICKER_NOISE.some((re) => re.test(m)) && !(CHART_NOISE.test(m) && chartsWithoutFallback(json) === 0));
}

/** The card's size as Teams counts it, against its 28 KB limit. */
export const cardBytes = (json: unknown): number => Buffer.byteLength(JSON.stringify(json), 'utf8');
