import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { inflateSync } from 'node:zlib';
import { AppManifestUtils, type TeamsManifest } from '@microsoft/app-manifest';
import { COMMANDS, type BotCommand, type CommandScope } from '../bot/routes/commands.js';
import { zipSync } from 'fflate';

/** The schema the template is written against; `@microsoft/app-manifest` bundles it, so validation needs no network. */
export const SCHEMA_URL = 'https://developer.microsoft.com/json-schemas/teams/v1.30/MicrosoftTeams.schema.json';
/** Marks an unset app id; Teams accepts the package shape, but a real upload needs the registered id. */
export const PLACEHOLDER_APP_ID = '00000000-0000-0000-0000-000000000000';

export interface FillValues {
  appId: string;
  version: string;
  /** The server's public origin (`PUBLIC_BASE_URL`). */
  baseUrl: string;
  /** The host listed in `validDomains`; the base URL's host when left out. */
  domain?: string;
}

export type Manifest = Record<string, unknown> & { bots?: Array<Record<string, unknown>> };

const SCOPES: readonly CommandScope[] = ['personal', 'team', 'groupChat'];

/** The manifest's `commandLists`: one list per scope, of the ready commands offered there. */
export function commandLists(commands: readonly BotCommand[] = COMMANDS) {
  return SCOPES.map((scope) => ({
    scopes: [scope],
    commands: commands.filter((c) => c.scopes.includes(scope)).map((c) => ({ title: c.name, description: c.description })),
  })).filter((list) => list.commands.length > 0);
}

/** The template with its `${{…}}` placeholders filled and the bot's command lists generated. */
export function fillManifest(template: string, values: FillValues): Manifest {
  const domain = values.domain ?? new URL(values.baseUrl).host;
  const fills: Record<string, string> = { MICROSOFT_APP_ID: values.appId, APP_VERSION: values.version, DOMAIN: domain };
  const text = template.replace(/\$\{\{(\w+)\}\}/g, (whole, key: string) => {
    const value = fills[key];
    if (value === undefined) throw new Error(`manifest template: unknown placeholder ${whole}`);
    return JSON.stringify(value).slice(1, -1);
  });
  const manifest = JSON.parse(text) as Manifest;
  for (const bot of manifest.bots ?? []) bot.commandLists = commandLists();
  return manifest;
}

/** Every schema error in the manifest (empty when it is valid), checked offline against the bundled schema. */
export async function validateManifest(manifest: Manifest): Promise<string[]> {
  // Any other $schema would make the library fetch it from the web; refuse rather than go online.
  if (manifest.$schema !== SCHEMA_URL) return [`/$schema must be ${SCHEMA_URL}`];
  return AppManifestUtils.validateAgainstSchema(manifest as unknown as TeamsManifest);
}

/** A decoded PNG: size, colour type and, for 8-bit RGBA, the unfiltered pixels. */
export interface PngImage {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  interlaced: boolean;
  /** RGBA bytes, row by row; only for 8-bit, non-interlaced colour type 6. */
  rgba?: Buffer;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Reads a PNG's header and, where it is 8-bit RGBA, its pixels; throws on anything that is not a PNG. */
export function readPng(png: Buffer): PngImage {
  if (png.length < 33 || !png.subarray(0, 8).equals(SIGNATURE) || png.toString('latin1', 12, 16) !== 'IHDR') {
    throw new Error('not a PNG file');
  }
  const image: PngImage = {
    width: png.readUInt32BE(16),
    height: png.readUInt32BE(20),
    bitDepth: png[24]!,
    colorType: png[25]!,
    interlaced: png[28] === 1,
  };
  if (image.bitDepth === 8 && image.colorType === 6 && !image.interlaced) {
    image.rgba = unfilter(inflateSync(idat(png)), image.width, image.height, 4);
  }
  return image;
}

function idat(png: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (let at = 8; at + 8 <= png.length; ) {
    const length = png.readUInt32BE(at);
    if (png.toString('latin1', at + 4, at + 8) === 'IDAT') parts.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  return Buffer.concat(parts);
}

// PNG's five row filters (RFC 2083 §6), undone in place row by row.
function unfilter(data: Buffer, width: number, height: number, bpp: number): Buffer {
  const stride = width * bpp;
  const out = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = data[y * (stride + 1)]!;
    const src = y * (stride + 1) + 1;
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? out[y * stride + i - bpp]! : 0;
      const b = y > 0 ? out[(y - 1) * stride + i]! : 0;
      const c = i >= bpp && y > 0 ? out[(y - 1) * stride + i - bpp]! : 0;
      out[y * stride + i] = (data[src + i]! + predict(filter, a, b, c)) & 0xff;
    }
  }
  return out;
}

function predict(filter: number, a: number, b: number, c: number): number {
  switch (filter) {
    case 0: return 0;
    case 1: return a;
    case 2: return b;
    case 3: return (a + b) >> 1;
    case 4: {
      const p = a + b - c;
      const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
      return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
    default: throw new Error(`PNG: unknown row filter ${filter}`);
  }
}

/** What is wrong with the two icons for Teams (empty when both fit): sizes, and the outline's white-on-transparent. */
export function checkIcons(colorPng: Buffer, outlinePng: Buffer): string[] {
  const problems: string[] = [];
  const color = tryRead('color.png', colorPng, problems);
  const outline = tryRead('outline.png', outlinePng, problems);
  if (color && (color.width !== 192 || color.height !== 192)) problems.push(`color.png must be 192x192, not ${color.width}x${color.height}`);
  if (outline) problems.push(...outlineProblems(outline));
  return problems;
}

function tryRead(name: string, png: Buffer, problems: string[]): PngImage | undefined {
  try {
    return readPng(png);
  } catch (err) {
    problems.push(`${name}: ${(err as Error).message}`);
    return undefined;
  }
}

function outlineProblems(png: PngImage): string[] {
  if (png.width !== 32 || png.height !== 32) return [`outline.png must be 32x32, not ${png.width}x${png.height}`];
  if (!png.rgba) return ['outline.png must be an 8-bit, non-interlaced RGBA PNG (colour type 6) with a transparent background'];
  let transparent = 0;
  let notWhite = 0;
  for (let i = 0; i < png.rgba.length; i += 4) {
    const [r, g, b, alpha] = [png.rgba[i]!, png.rgba[i + 1]!, png.rgba[i + 2]!, png.rgba[i + 3]!];
    if (alpha === 0) transparent++;
    else if (r !== 255 || g !== 255 || b !== 255) notWhite++;
  }
  const problems: string[] = [];
  if (transparent === 0) problems.push('outline.png must have a transparent background');
  if (notWhite > 0) problems.push(`outline.png must be white on transparent; ${notWhite} visible pixels are not white`);
  if (transparent === png.width * png.height) problems.push('outline.png is fully transparent');
  return problems;
}

export interface PackageParts {
  manifest: Manifest;
  colorPng: Buffer;
  outlinePng: Buffer;
}

/** The Teams app package: a zip of manifest.json and both icons, at its root as Teams requires. */
export function packageZip(parts: PackageParts): Buffer {
  // A fixed timestamp keeps the package byte-for-byte reproducible from the same inputs.
  const options = { level: 9 as const, mtime: new Date(1980, 0, 1) };
  return Buffer.from(
    zipSync(
      {
        'manifest.json': [Buffer.from(`${JSON.stringify(parts.manifest, null, 2)}\n`), options],
        'color.png': [parts.colorPng, options],
        'outline.png': [parts.outlinePng, options],
      },
      options,
    ),
  );
}

/** Writes the package to `outFile` (default `build/appPackage.zip`), creating its folder; returns the path. */
export function buildPackage(parts: PackageParts, outFile = 'build/appPackage.zip'): string {
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, packageZip(parts));
  return outFile;
}
