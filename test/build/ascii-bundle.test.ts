import { describe, expect, it } from 'vitest';
// @ts-expect-error: a build script in plain JavaScript, without type declarations
import { asciiComments } from '../../scripts/ascii-bundle.mjs';

const ascii = asciiComments as (text: string, name: string) => string;

describe('the bundles are made ASCII-only in their comments', () => {
  it('replaces non-ASCII units inside comments only, keeping every offset', () => {
    const src = [
      '// a line comment — with a dash',
      'const re = /\\/\\/x/; /* a block … comment */',
      'const url = `http://host/${re}//path`;',
      'const emoji = 1; // 🏃 two UTF-16 units',
      '',
    ].join('\n');
    const out = ascii(src, 'in.js');
    expect(out.length).toBe(src.length);
    expect(out).toBe(
      [
        '// a line comment ? with a dash',
        'const re = /\\/\\/x/; /* a block ? comment */',
        'const url = `http://host/${re}//path`;',
        'const emoji = 1; // ?? two UTF-16 units',
        '',
      ].join('\n'),
    );
  });

  it('refuses a non-ASCII character in code (a regular expression esbuild left as written), naming the line', () => {
    expect(() => ascii('// fine\nconst s = "x".replace(/…$/, "");\n', 'verb.js')).toThrow(
      /verb\.js:2: a non-ASCII character outside a comment/,
    );
  });
});
