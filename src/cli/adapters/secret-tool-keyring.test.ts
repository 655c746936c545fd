import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findOnPath, secretToolKeyring } from './secret-tool-keyring.js';

/** A stand-in `secret-tool` that keeps secrets in files and logs its argv, to prove secrets never go there. */
async function fakeSecretTool(): Promise<{ bin: string; dir: string; argvLog: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'garminsync-secret-tool-'));
  const bin = join(dir, 'secret-tool');
  const argvLog = join(dir, 'argv.log');
  await writeFile(
    bin,
    `#!/bin/sh
echo "$@" >> "${argvLog}"
key=$(echo "$@" | sed 's/^[a-z]* //; s/--label [^ ]* [^ ]* //; s/[^A-Za-z0-9]/_/g')
case "$1" in
  store) cat > "${dir}/secret_$key" ;;
  lookup) cat "${dir}/secret_$key" 2>/dev/null || exit 1 ;;
  clear) rm -f "${dir}/secret_$key" ;;
esac
`,
  );
  await chmod(bin, 0o755);
  return { bin, dir, argvLog };
}

describe('secretToolKeyring', () => {
  it('stores, reads and clears a secret through secret-tool, passing the secret on stdin only', async () => {
    const { bin, dir, argvLog } = await fakeSecretTool();
    expect(findOnPath('secret-tool', `/nonexistent:${dir}`)).toBe(bin);
    const keyring = secretToolKeyring(bin);
    await keyring.set('http://127.0.0.1:8787', '{"access_token":"very-secret"}');
    expect(await keyring.get('http://127.0.0.1:8787')).toBe('{"access_token":"very-secret"}');
    await keyring.remove('http://127.0.0.1:8787');
    await expect(keyring.get('http://127.0.0.1:8787')).rejects.toThrow();
    const { readFile } = await import('node:fs/promises');
    expect(await readFile(argvLog, 'utf8')).not.toContain('very-secret');
  });

  it('gives up on a keyring that hangs', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'garminsync-secret-tool-'));
    const bin = join(dir, 'secret-tool');
    await writeFile(bin, '#!/bin/sh\nexec sleep 30\n');
    await chmod(bin, 0o755);
    await expect(secretToolKeyring(bin, 200).get('x')).rejects.toThrow(/did not answer within/);
  });
});
