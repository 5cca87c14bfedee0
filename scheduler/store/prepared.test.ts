import { describe, expect, it } from 'vitest';
import { keepPrepared, sendRegisteredAsPrepared } from './prepared.js';

/** A stand-in for node-postgres's client: its class's query records what it was sent and answers `answer`. */
class FakeClient {
  sent: unknown[] = [];
  status = 'I';
  answer: (q: unknown) => unknown = () => Promise.resolve('answer');
  getTransactionStatus(): string {
    return this.status;
  }
  query(...args: unknown[]): unknown {
    this.sent.push(args);
    return this.answer(args[0]);
  }
}

const named = (q: unknown) => typeof q === 'object' && q !== null && 'name' in q;

describe('statements kept prepared', () => {
  it('sends a registered text under its name with its values, and any other statement as it was given', async () => {
    keepPrepared('select $1::int as n -- prepared.test', 'prepared_test');
    const client = new FakeClient();
    sendRegisteredAsPrepared(client);
    const callback = () => undefined;
    client.answer = () => 'no promise';
    expect(client.query('select $1::int as n -- prepared.test', [7], callback)).toBe('no promise');
    client.answer = () => Promise.resolve('answer');
    expect(await client.query('select 2', [])).toBe('answer');
    client.query({ text: 'select 3' });
    expect(client.sent).toEqual([
      [{ name: 'prepared_test', text: 'select $1::int as n -- prepared.test', values: [7] }, callback],
      ['select 2', []],
      [{ text: 'select 3' }],
    ]);
  });

  const LOST = [
    ['26000', 'prepared statement "prepared_test" does not exist'],
    ['42P05', 'prepared statement "prepared_test" already exists'],
    ['0A000', 'cached plan must not change result type'],
  ];

  it.each(LOST)('answers again as text when the statement is lost (%s), and sends text from then on', async (code, message) => {
    keepPrepared('select $1::int as n -- prepared.test', 'prepared_test');
    const client = new FakeClient();
    sendRegisteredAsPrepared(client);
    client.answer = (q) => (named(q) ? Promise.reject(Object.assign(new Error(message), { code })) : Promise.resolve('as text'));
    expect(await client.query('select $1::int as n -- prepared.test', [1])).toBe('as text');
    expect(await client.query('select $1::int as n -- prepared.test', [2])).toBe('as text');
    expect(client.sent.map((args) => named((args as unknown[])[0]))).toEqual([true, false, false]);
  });

  it('inside a transaction gives the original error (the transaction is lost anyway), then sends text', async () => {
    keepPrepared('select $1::int as n -- prepared.test', 'prepared_test');
    const client = new FakeClient();
    sendRegisteredAsPrepared(client);
    client.status = 'E';
    client.answer = (q) => (named(q) ? Promise.reject(Object.assign(new Error('prepared statement "prepared_test" does not exist'), { code: '26000' })) : Promise.resolve('as text'));
    await expect(client.query('select $1::int as n -- prepared.test', [1])).rejects.toThrow('does not exist');
    client.status = 'I';
    expect(await client.query('select $1::int as n -- prepared.test', [2])).toBe('as text');
    expect(client.sent.map((args) => named((args as unknown[])[0]))).toEqual([true, false]);
  });

  it('passes any other error on, and keeps the statement prepared', async () => {
    keepPrepared('select $1::int as n -- prepared.test', 'prepared_test');
    const client = new FakeClient();
    sendRegisteredAsPrepared(client);
    client.answer = () => Promise.reject(Object.assign(new Error('unique violation'), { code: '23505' }));
    await expect(client.query('select $1::int as n -- prepared.test', [1])).rejects.toThrow('unique violation');
    // The rest of 0A000 (feature not supported) is not a lost statement either.
    client.answer = () => Promise.reject(Object.assign(new Error('FOR UPDATE is not allowed with aggregate functions'), { code: '0A000' }));
    await expect(client.query('select $1::int as n -- prepared.test', [1])).rejects.toThrow('FOR UPDATE');
    client.answer = () => Promise.resolve('answer');
    await client.query('select $1::int as n -- prepared.test', [1]);
    expect(client.sent.map((args) => named((args as unknown[])[0]))).toEqual([true, true, true]);
  });

  it('refuses one text under two names, and one name for two texts (node-postgres would refuse the second)', () => {
    keepPrepared('select 4 -- prepared.test', 'prepared_four');
    expect(() => keepPrepared('select 4 -- prepared.test', 'prepared_other')).toThrow(/already kept prepared as prepared_four/);
    expect(() => keepPrepared('select 5 -- prepared.test', 'prepared_four')).toThrow(/prepared_four is already kept prepared for another text/);
    expect(() => keepPrepared('select 4 -- prepared.test', 'prepared_four')).not.toThrow();
  });
});
