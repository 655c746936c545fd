import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../exit-codes.js';
import { useFakeCli } from '../../testing/fake-cli.js';
import { fakeJobId } from '../../testing/fake-jobs.js';
import { runImportArchive } from './import-archive.js';

const fake = useFakeCli({ fakeClock: true });

async function file(bytes: Buffer): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'garminsync-archive-')), 'export.zip');
  await writeFile(path, bytes);
  return path;
}
const zip = Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(300)]);

describe('import archive (run function)', () => {
  it('uploads the file and prints the job (piped: its id on stdout), --json both, --wait the outcome', async () => {
    await fake.login();
    const path = await file(zip);
    const piped = await fake.verb((c) => runImportArchive(c, path, {}));
    expect(piped).toMatchObject({ code: EXIT.OK, stdout: `${fakeJobId(1)}\n` });
    expect(piped.stderr).toBe(
      `Uploading ${path} (304 B)…\nUploaded; import job ${fakeJobId(1)} started. Follow it with: garminsync sync watch ${fakeJobId(1)}\n`,
    );
    const json = JSON.parse((await fake.verb((c) => runImportArchive(c, path, {}), { json: true })).stdout);
    expect(json).toMatchObject({ import: { size_bytes: 304, state: 'ready', job_id: fakeJobId(2) }, job: { sync_type: 'archive' } });
    const waited = await fake.verb((c) => runImportArchive(c, path, { wait: true }), { tty: true });
    expect(waited.code).toBe(EXIT.OK);
    expect(fake.svc.jobs.get(fakeJobId(3))?.status).toBe('completed');
  });

  it('no such file is exit 2 before any upload; too large for the service is exit 1; not a ZIP is exit 2 from the service', async () => {
    await fake.login();
    const missing = await fake.verb((c) => runImportArchive(c, '/nonexistent/export.zip', {}));
    expect(missing).toMatchObject({ code: EXIT.USAGE, stdout: '', stderr: 'No archive file at /nonexistent/export.zip.\n' });
    await fake.restart({ maxArchiveBytes: 100 });
    const bigFile = await file(zip);
    const big = await fake.verb((c) => runImportArchive(c, bigFile, {}), { tty: true });
    expect(big.code).toBe(EXIT.ERROR);
    expect(big.stderr).toMatch(/is 304 B; this service accepts archives up to 100 B\.\n$/);
    await fake.restart({});
    const text = await file(Buffer.from('hello'));
    const notZip = await fake.verb((c) => runImportArchive(c, text, {}));
    expect(notZip).toMatchObject({ code: EXIT.USAGE, stdout: '' });
    expect(notZip.stderr).toMatch(/The upload is not a ZIP archive\.\n$/);
    expect(fake.svc.counts.get('POST /api/v1/imports')).toBe(1);
  });
});
