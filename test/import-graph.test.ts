import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// House rule 13, for the loops the lint cannot see: import-x/no-cycle (in `npm run lint`) skips `import type`, but
// an interface taken from its implementation is how the store's five-file ring began. This follows every relative
// import, type-only ones included, and finds the strongly connected groups of files (Tarjan).

const ROOTS = ['bot', 'cards', 'scheduler', 'manifest', 'bench', 'test', 'demo', 'scripts'];
const IMPORT = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

function sources(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === 'artifacts' ? [] : sources(path);
    return /\.ts$/.test(e.name) ? [path] : [];
  });
}

/** Each file's relative imports, as repository paths (`./x.js` is the TypeScript file `x.ts`). */
function importGraph(text: (file: string) => string, files: string[]): Map<string, string[]> {
  const known = new Set(files);
  return new Map(
    files.map((f) => {
      const targets = [...text(f).matchAll(IMPORT)].map((m) => normalize(join(dirname(f), (m[1] ?? m[2])!)).replace(/\.js$/, '.ts'));
      return [f, [...new Set(targets.filter((t) => known.has(t)))]];
    }),
  );
}

/** The groups of two or more files that import one another, directly or round a ring. */
function loops(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const group: string[] = [];
    for (let w = stack.pop(); w !== undefined; w = w === v ? undefined : stack.pop()) group.push(w);
    if (group.length > 1) found.push(group.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('no import loops, type-only imports included', () => {
  it('finds a loop of type-only imports, and a three-file ring, in a made-up tree', () => {
    const tree: Record<string, string> = {
      'scheduler/store/store.ts': "import type { ReviewRepo } from './kysely-review-repos.js';\nexport interface Repos { review: ReviewRepo }",
      'scheduler/store/kysely-review-repos.ts': "import { toMeeting } from './kysely-repos.js';\nexport interface ReviewRepo { x: 1 }",
      'scheduler/store/kysely-repos.ts': "import type { Repos } from './store.js';\nexport const toMeeting = 1;",
      'bot/a.ts': "import { type B } from './b.js';\nexport type A = B;",
      'bot/b.ts': "export type { A } from './a.js';\nexport type B = 1;",
      'bot/c.ts': "import { b } from './b.js';",
    };
    const found = loops(importGraph((f) => tree[f]!, Object.keys(tree)));
    expect(found).toEqual([
      ['scheduler/store/kysely-repos.ts', 'scheduler/store/kysely-review-repos.ts', 'scheduler/store/store.ts'],
      ['bot/a.ts', 'bot/b.ts'],
    ]);
  });

  it('finds none in this repository', () => {
    const files = ROOTS.flatMap(sources).map((f) => relative('.', f));
    expect(files.length).toBeGreaterThan(100);
    expect(loops(importGraph((f) => readFileSync(f, 'utf8'), files))).toEqual([]);
  });
});
