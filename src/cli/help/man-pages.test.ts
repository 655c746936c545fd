import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { run, tempConfigHome } from '../testing/run.js';
import { MAN_DIR, manPages } from './man-pages.js';

const pkg = JSON.parse(await readFile('package.json', 'utf8')) as { version: string; man: string[]; files: string[] };

describe('man pages (issue 18.12)', () => {
  it('man/ holds exactly the pages the command definitions make, and the package installs them (else: npm run man)', async () => {
    const pages = await manPages(pkg.version);
    expect(pages.size).toBeGreaterThan(30);
    expect((await readdir(MAN_DIR)).sort()).toEqual([...pages.keys()].map((f) => f.slice(MAN_DIR.length + 1)).sort());
    for (const [file, text] of pages) expect(await readFile(file, 'utf8'), file).toBe(text);
    expect(pkg.man).toEqual([...pages.keys()].map((f) => `./${f}`));
    expect(pkg.files).toContain(MAN_DIR);
  });

  it('each page carries what --help says: every flag of the command and its examples', async () => {
    const home = await tempConfigHome();
    for (const words of [['sync', 'start'], ['sync', 'retry'], ['activities', 'list'], ['export']]) {
      const help = (await run([...words, '--help'], { home })).stdout;
      const page = await readFile(`${MAN_DIR}/garminsync-${words.join('-')}.1`, 'utf8');
      const roff = (s: string) => s.replace(/\\/g, '\\e').replace(/-/g, '\\-');
      for (const flag of help.matchAll(/^ {2}((?:-\w, )?--[\w-]+(?: <[\w-]+>)?)/gm))
        expect(page, flag[1]).toContain(`.B ${roff(flag[1]!)}`);
      for (const example of help.matchAll(/^ {2}\$ (.+)$/gm)) expect(page).toContain(roff(example[1]!));
    }
  });
});
