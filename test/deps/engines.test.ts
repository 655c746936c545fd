import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

/** npm checks engines against the Node it runs on; CI runs the Node 20 line we support. */
const NODE = process.versions.node;

type Version = readonly [number, number, number];
const parse = (v: string): Version => {
  const [a = 0, b = 0, c = 0] = v
    .replace(/^v/, '')
    .split('.')
    .map((x) => (x === 'x' || x === '*' ? 0 : Number.parseInt(x, 10)));
  return [a, b, c];
};
const cmp = (a: Version, b: Version) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/** Whether `v` satisfies one npm range comparator (>=, >, <=, <, ^, ~, =, x-ranges). */
function satisfiesOne(v: Version, comparator: string): boolean {
  if (comparator.trim() === '*' || comparator.trim() === 'x') return true;
  const m = /^(>=|<=|>|<|\^|~|=)?\s*v?([\d.x*]+)$/.exec(comparator.trim());
  if (!m) return true; // an exotic form: not judged here
  const [, op = '=', raw] = m;
  const w = parse(raw!);
  const parts = raw!.split('.').filter((p) => p !== 'x' && p !== '*').length;
  switch (op) {
    case '>=':
      return cmp(v, w) >= 0;
    case '>':
      return cmp(v, w) > 0;
    case '<=':
      return cmp(v, w) <= 0;
    case '<':
      return cmp(v, w) < 0;
    case '^':
      return cmp(v, w) >= 0 && v[0] === w[0];
    case '~':
      return cmp(v, w) >= 0 && v[0] === w[0] && (parts < 2 || v[1] === w[1]);
    default:
      return parts === 1 ? v[0] === w[0] : parts === 2 ? v[0] === w[0] && v[1] === w[1] : cmp(v, w) === 0;
  }
}

/** An npm `engines.node` range: alternatives joined by ||, each a list of comparators (and hyphen ranges). */
function satisfies(v: Version, range: string): boolean {
  return range.split('||').some((alt) => {
    const hyphen = /^\s*([\d.]+)\s+-\s+([\d.]+)\s*$/.exec(alt);
    if (hyphen) return cmp(v, parse(hyphen[1]!)) >= 0 && cmp(v, parse(hyphen[2]!)) <= 0;
    const comparators = alt
      .trim()
      .replace(/(>=|<=|>|<|=|\^|~)\s+/g, '$1')
      .split(/\s+/)
      .filter(Boolean);
    return comparators.length === 0 || comparators.every((c) => satisfiesOne(v, c));
  });
}

describe('installed dependencies (issue 18.11)', () => {
  it('every package in the lock file supports the oldest Node we support, so `npm ci` gives no EBADENGINE warning (cookie@2 via light-my-request is overridden to 1.x)', async () => {
    const lock = JSON.parse(await readFile(new URL('../../package-lock.json', import.meta.url), 'utf8')) as {
      packages: Record<string, { engines?: { node?: string } | string[]; dev?: boolean; optional?: boolean }>;
    };
    const refused = Object.entries(lock.packages)
      .filter(
        ([path, p]) =>
          path !== '' && !Array.isArray(p.engines) && typeof p.engines?.node === 'string' && !satisfies(parse(NODE), p.engines.node),
      )
      .map(([path, p]) => `${path} wants node ${(p.engines as { node: string }).node}`);
    expect(refused).toEqual([]);
  });

  it('the range check itself tells a Node 22-only range from a Node 20 one', () => {
    const OLDEST = parse('20.11.0');
    expect(satisfies(OLDEST, '>=22')).toBe(false);
    expect(satisfies(OLDEST, '>=18')).toBe(true);
    expect(satisfies(OLDEST, '^18.17.0 || >=20.5.0')).toBe(true);
    expect(satisfies(OLDEST, '^20.19.0 || >=22.12.0')).toBe(false);
    expect(satisfies(OLDEST, '>= 14')).toBe(true);
  });
});
