/** Every input of a card, wherever it is nested (containers, hidden ones too), by id: its type and value as sent. */
export function cardInputs(card: unknown): Map<string, { type: string; value: unknown }> {
  const found = new Map<string, { type: string; value: unknown }>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (!v || typeof v !== 'object') return;
    const o = v as Record<string, unknown>;
    if (typeof o.type === 'string' && o.type.startsWith('Input.') && typeof o.id === 'string') found.set(o.id, { type: o.type, value: o.value });
    for (const [k, child] of Object.entries(o)) if (k !== 'choices') walk(child);
  };
  walk(card);
  return found;
}

/** The ids of a card's inputs that carry a value, with the value. */
export const answeredInputs = (card: unknown): Record<string, unknown> =>
  Object.fromEntries([...cardInputs(card)].filter(([, i]) => i.value !== undefined).map(([id, i]) => [id, i.value]));
