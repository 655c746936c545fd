import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';

export interface TlsMaterial {
  /** PEM of the generated CA: clients trust this. */
  caCert: string;
  caPath: string;
  cert: string;
  key: string;
  /** Removes the temp dir holding the CA (the CA is useless once this emulator stops). */
  cleanup(): Promise<void>;
}

/** The Garmin hosts served in TLS mode. */
export const TLS_SUBDOMAINS = ['sso', 'connectapi', 'diauth', 'connect'] as const;

/**
 * Generates a throw-away CA and a server certificate for sso.D, connectapi.D, diauth.D and
 * connect.D, signed by it, and writes the CA PEM to a fresh temp dir. An off-the-shelf client
 * then only needs to trust that CA and resolve the names to the emulator.
 */
export async function generateTlsMaterial(domain: string, now: Date): Promise<TlsMaterial> {
  const notBeforeDate = new Date(now.getTime() - 60_000);
  const notAfterDate = new Date(now.getTime() + 30 * 86_400_000);
  const ca = await generate([{ name: 'commonName', value: `GarminSync emulator CA (${domain})` }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const server = await generate([{ name: 'commonName', value: `sso.${domain}` }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          ...TLS_SUBDOMAINS.map((s) => ({ type: 2 as const, value: `${s}.${domain}` })),
          { type: 2 as const, value: 'localhost' },
          { type: 7 as const, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  const dir = await mkdtemp(join(tmpdir(), 'garminsync-emulator-ca-'));
  const caPath = join(dir, 'ca.pem');
  await writeFile(caPath, ca.cert, { mode: 0o644 });
  return { caCert: ca.cert, caPath, cert: server.cert, key: server.private, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
