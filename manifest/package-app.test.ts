import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { unzipSync } from 'fflate';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { COMMANDS } from '../bot/routes/commands.js';
import { encodePng } from './make-icons.js';
import { buildPackage, checkIcons, commandLists, fillManifest, readPng, validateManifest, type Manifest } from './package-app.js';

const dir = new URL('./', import.meta.url);
const template = readFileSync(new URL('manifest.json', dir), 'utf8');
const colorPng = readFileSync(new URL('color.png', dir));
const outlinePng = readFileSync(new URL('outline.png', dir));
const values = { appId: '11111111-2222-3333-4444-555555555555', version: '1.2.3', baseUrl: 'https://panels.example.org' };

/** The files of a zip. */
function readZip(zip: Buffer): Map<string, Buffer> {
  return new Map(Object.entries(unzipSync(zip)).map(([name, data]) => [name, Buffer.from(data)]));
}

/** Re-encodes an 8-bit RGBA PNG with row filters 0..4 in turn, as other encoders write them. */
function refilter(png: Buffer): Buffer {
  const { width, height, rgba } = readPng(png);
  const stride = width * 4;
  const at = (x: number, y: number) => (x < 0 || y < 0 ? 0 : rgba![y * stride + x]!);
  const rows: number[] = [];
  for (let y = 0; y < height; y++) {
    const filter = y % 5;
    rows.push(filter);
    for (let i = 0; i < stride; i++) {
      const [a, b, c] = [at(i - 4, y), at(i, y - 1), at(i - 4, y - 1)];
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const predicted = [0, a, b, (a + b) >> 1, paeth][filter]!;
      rows.push((at(i, y) - predicted) & 0xff);
    }
  }
  const data = deflateSync(Buffer.from(rows));
  const idatAt = png.indexOf('IDAT') - 4;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  // The CRC is left stale: the reader does not check it, and the test is about unfiltering.
  return Buffer.concat([png.subarray(0, idatAt), length, Buffer.from('IDAT'), data, Buffer.alloc(4), png.subarray(png.indexOf('IEND') - 4)]);
}

afterEach(() => vi.unstubAllGlobals());

describe('the manifest', () => {
  it('fills every placeholder and validates offline with no errors', async () => {
    vi.stubGlobal('fetch', () => Promise.reject(new Error('no network in this test')));
    const manifest = fillManifest(template, values);
    expect(JSON.stringify(manifest)).not.toContain('${{');
    expect(manifest.id).toBe(values.appId);
    expect(manifest.version).toBe('1.2.3');
    expect(manifest.validDomains).toEqual(['panels.example.org']);
    expect(manifest.bots?.[0]).toMatchObject({ botId: values.appId, scopes: ['personal', 'team', 'groupChat'] });
    // Issue 20, granted to the bot's own app id: a shared channel's members (a council member's home tenant), and the
    // meeting events of a panel held in Teams.
    expect(manifest.webApplicationInfo).toMatchObject({ id: values.appId });
    expect((manifest.authorization as { permissions: { resourceSpecific: Array<{ name: string }> } }).permissions.resourceSpecific.map((p) => p.name)).toEqual([
      'ChannelMember.Read.Group', 'OnlineMeeting.ReadBasic.Chat', 'ChannelMeeting.ReadBasic.Group', 'OnlineMeetingParticipant.Read.Chat',
    ]);
    expect(await validateManifest(manifest)).toEqual([]);
  });

  it('lists schema errors for a broken manifest', async () => {
    const broken: Manifest = { ...fillManifest(template, values), id: 'not-a-guid' };
    delete broken.name;
    const errors = await validateManifest(broken);
    expect(errors.some((e) => e.includes("must have required property 'name'"))).toBe(true);
    expect(errors.some((e) => e.startsWith('/id '))).toBe(true);
  });

  it('refuses a $schema it would have to fetch from the web', async () => {
    const manifest = { ...fillManifest(template, values), $schema: 'https://example.org/schema.json' };
    expect(await validateManifest(manifest)).toEqual([expect.stringContaining('/$schema must be')]);
  });

  it('offers exactly the command table\'s commands, per scope: the contract\'s nine, and `link area` in Teams channels', () => {
    const lists = fillManifest(template, values).bots?.[0]?.commandLists as ReturnType<typeof commandLists>;
    // The contract offers commands in personal chat and Teams channels; a Teams meeting's chat (a group chat) is offered `link meeting` alone (issue 20).
    expect(lists.find((l) => l.scopes.includes('groupChat'))?.commands.map((c) => c.title)).toEqual(['link meeting']);
    const described = new Map(COMMANDS.map((c) => [c.name, c.description]));
    for (const list of lists) for (const c of list.commands) expect(c.description).toBe(described.get(c.title));
    const contract = ['help', 'panels', 'link force', 'link panel', 'cancel', 'attendance', 'review', 'flags', 'subscribe'];
    // `audit` (inspectors and national leads) is offered in personal chat only: the Teams channel list holds its limit of 10.
    expect(lists.find((l) => l.scopes.includes('personal'))?.commands.map((c) => c.title)).toEqual([...contract, 'audit']);
    // An area's channel is linked in Teams (issue 24); `link national` is typed there too, but the list is full.
    const inTeams = [...contract.slice(0, 4), 'link area', ...contract.slice(4)];
    expect(lists.find((l) => l.scopes.includes('team'))?.commands.map((c) => c.title)).toEqual(inTeams);
  });

  it('says what the app does and that it holds no case data, never with a bare "channel"', () => {
    const { description } = fillManifest(template, values) as { description: { short: string; full: string } };
    expect(description.short).toMatch(/decision-maker for every Channel panel meeting/);
    expect(description.full).toMatch(/recommendation 7/);
    expect(description.full).toMatch(/holds no case data/);
    // Issue 20: the app opts in to shared channels (Teams Connect, a force's team with a council) and private ones.
    expect((fillManifest(template, values) as { supportedChannelTypes?: string[] }).supportedChannelTypes).toEqual(['sharedChannels', 'privateChannels']);
    // The words people read; the schema's own key for those channels and the permission names are not among them.
    const words = template.replace(/"supportedChannelTypes":\s*\[[^\]]*\]/, '').replace(/"resourceSpecific":\s*\[[^\]]*\]/, '');
    expect(words).not.toBe(template);
    expect(words.replace(/Channel panel|Teams channel/g, '')).not.toMatch(/channel/i);
  });
});

describe('the icons', () => {
  it('are 192x192 colour and 32x32 white-on-transparent outline', () => {
    expect(readPng(colorPng)).toMatchObject({ width: 192, height: 192 });
    const outline = readPng(outlinePng);
    expect(outline).toMatchObject({ width: 32, height: 32, colorType: 6 });
    const alphas = new Set([...outline.rgba!].filter((_, i) => i % 4 === 3));
    expect([...alphas].sort()).toEqual([0, 255]);
    expect(checkIcons(colorPng, outlinePng)).toEqual([]);
  });

  it('reads pixels written with every PNG row filter', () => {
    for (const png of [outlinePng, colorPng]) expect(readPng(refilter(png)).rgba!.equals(readPng(png).rgba!)).toBe(true);
  });

  it('reports wrong sizes, a coloured outline and an opaque one', () => {
    const red = encodePng(32, (x) => (x < 16 ? [255, 0, 0, 255] : [0, 0, 0, 0]));
    const opaque = encodePng(32, () => [255, 255, 255, 255]);
    expect(checkIcons(outlinePng, colorPng)).toEqual([expect.stringMatching(/192x192, not 32x32/), expect.stringMatching(/32x32, not 192x192/)]);
    expect(checkIcons(colorPng, red)).toEqual([expect.stringMatching(/visible pixels are not white/)]);
    expect(checkIcons(colorPng, opaque)).toEqual([expect.stringMatching(/transparent background/)]);
    expect(checkIcons(Buffer.from('nope'), outlinePng)).toEqual(['color.png: not a PNG file']);
  });
});

describe('buildPackage', () => {
  it('writes a zip of exactly the manifest and both icons', () => {
    const manifest = fillManifest(template, values);
    const out = buildPackage({ manifest, colorPng, outlinePng }, join(mkdtempSync(join(tmpdir(), 'pkg-')), 'build', 'appPackage.zip'));
    const files = readZip(readFileSync(out));
    expect([...files.keys()].sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    expect(JSON.parse(files.get('manifest.json')!.toString('utf8'))).toEqual(manifest);
    expect(files.get('color.png')!.equals(colorPng)).toBe(true);
    expect(files.get('outline.png')!.equals(outlinePng)).toBe(true);
  });
});
