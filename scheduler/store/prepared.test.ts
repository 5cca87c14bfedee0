import { describe, expect, it } from 'vitest';
import { keepPrepared, sendRegisteredAsPrepared } from './prepared.js';

/** A stand-in for node-postgres's client: its class's query records what it was sent. */
class FakeClient {
  sent: unknown[][] = [];
  query(...args: unknown[]): unknown {
    this.sent.push(args);
    return 'answer';
  }
}

describe('statements kept prepared', () => {
  it('sends a registered text under its name with its values, and any other statement as it was given', () => {
    keepPrepared('select $1::int as n -- prepared.test', 'prepared_test');
    const client = new FakeClient();
    sendRegisteredAsPrepared(client);
    const callback = () => undefined;
    expect(client.query('select $1::int as n -- prepared.test', [7], callback)).toBe('answer');
    client.query('select 2', []);
    client.query({ text: 'select 3' });
    expect(client.sent).toEqual([
      [{ name: 'prepared_test', text: 'select $1::int as n -- prepared.test', values: [7] }, callback],
      ['select 2', []],
      [{ text: 'select 3' }],
    ]);
  });

  it('refuses one text under two names (a connection would run the first under the second)', () => {
    keepPrepared('select 4 -- prepared.test', 'prepared_four');
    expect(() => keepPrepared('select 4 -- prepared.test', 'prepared_other')).toThrow(/already kept prepared as prepared_four/);
    expect(() => keepPrepared('select 4 -- prepared.test', 'prepared_four')).not.toThrow();
  });
});
