import { describe, expect, it } from 'vitest';
import { cardBytes, cardProblems } from '../test/support/validate-card.js';
import { subscribeCard } from './subscribe-card.js';

const link = (i: number) => {
  const webUrl = `https://channel-panels.example.police.uk/calendar/${'A'.repeat(43)}.ics`;
  return { title: `Peterborough and Rutland Channel panel number ${i}`, webUrl, webcalUrl: webUrl.replace('https://', 'webcal://') };
};

describe('subscribe card', () => {
  it('stays valid and far under 28 KB at its most links, and says how many were left off', () => {
    const c = subscribeCard(Array.from({ length: 20 }, (_, i) => link(i)), 37);
    expect(cardProblems(c)).toEqual([]);
    expect(cardBytes(c)).toBeLessThan(14 * 1024);
    expect(JSON.stringify(c)).toContain('…and 37 more');
    expect(JSON.stringify(c)).toContain('Add to Outlook');
  });

  it('shows each feed as an https link and a webcal link', () => {
    const body = JSON.stringify(subscribeCard([link(1)]));
    expect(body).toContain(link(1).webUrl);
    expect(body).toContain(`(${link(1).webcalUrl})`);
    expect(body).not.toContain('more.');
  });

  // Issue 18: the card said `subscribe <panel or force id>`, which Teams shows as `&lt;panel or force id&gt;`.
  it('names the feeds left off with the command for each, and never writes an angle bracket', () => {
    const c = subscribeCard([link(1)], [{ title: 'Cambridgeshire Constabulary: every panel', command: 'subscribe cambs' }, { title: 'Southampton Channel panel', command: 'subscribe southampton' }]);
    expect(JSON.stringify(c)).toContain('Cambridgeshire Constabulary: every panel (`subscribe cambs`), Southampton Channel panel (`subscribe southampton`)');
    expect(cardProblems(c)).toEqual([]);
    for (const card of [c, subscribeCard([link(1)], 3)]) expect(JSON.stringify(card)).not.toMatch(/[<>]/);
  });

  it('says when a link replaced another, and how to rotate or revoke one, in words without angle brackets', () => {
    const c = subscribeCard([{ ...link(1), replaced: true }, link(2)]);
    expect(cardProblems(c)).toEqual([]);
    const body = JSON.stringify(c);
    expect(body.match(/the one it replaces no longer works/g)).toHaveLength(1);
    expect(body).toContain('`subscribe rotate me`');
    expect(body).toContain('Typing `subscribe` again shows the same links.');
    expect(body).not.toMatch(/[<>]/);
    expect(JSON.stringify(subscribeCard([link(1)]))).not.toContain('replaces');
  });

  it("heads a page's links by force and names each other page's forces with its command, without ids", () => {
    const links = [{ ...link(0), title: 'My Channel panel meetings' }, { ...link(1), group: 'Kent Police' }, { ...link(2), group: 'Kent Police' }, { ...link(3), group: 'Lancashire Constabulary' }];
    const index = [{ page: 1, groups: ['Kent Police', 'Lancashire Constabulary'] }, { page: 2, groups: ['Lancashire Constabulary', 'Merseyside Police'] }];
    const c = subscribeCard(links, 25, { page: 1, pages: 2, index });
    expect(cardProblems(c)).toEqual([]);
    const texts = JSON.stringify(c);
    expect(texts.match(/"text":"Kent Police"/g)).toHaveLength(1);
    expect(texts.match(/"text":"Lancashire Constabulary"/g)).toHaveLength(1);
    expect(texts).toContain('Your feeds fill 2 pages of links; this is page 1.');
    expect(texts).toContain('- `subscribe page 2`: Lancashire Constabulary, Merseyside Police');
    expect(texts).not.toContain('…and 25 more');
    expect(texts).not.toMatch(/[<>]/);
    // One page, one force: no headings, no pages.
    expect(JSON.stringify(subscribeCard(links.slice(1, 3), 0, { page: 1, pages: 1, index: index.slice(0, 1) }))).not.toContain('"text":"Kent Police"');
  });
});
