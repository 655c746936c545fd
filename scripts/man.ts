// Writes man/*.1 from the CLI's command definitions (npm run man) and lists them in package.json
// "man". src/cli/help/man-pages.test.ts fails when the files and the definitions differ.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { MAN_DIR, manPages } from '../src/cli/help/man-pages.js';

const root = new URL('../', import.meta.url);
const pkgPath = new URL('package.json', root);
const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { version: string; man?: string[]; files: string[] };
const pages = await manPages(pkg.version);
mkdirSync(new URL(`${MAN_DIR}/`, root), { recursive: true });
for (const old of readdirSync(new URL(`${MAN_DIR}/`, root))) {
  if (!pages.has(`${MAN_DIR}/${old}`)) rmSync(new URL(`${MAN_DIR}/${old}`, root));
}
for (const [file, text] of pages) writeFileSync(new URL(file, root), text);
pkg.man = [...pages.keys()].map((f) => `./${f}`);
if (!pkg.files.includes(MAN_DIR)) pkg.files.push(MAN_DIR);
writeFileSync(pkgPath, `${JSON.stringify(pkg, null, 2)}\n`);
process.stdout.write(`${pages.size} man pages in ${MAN_DIR}/\n`);
