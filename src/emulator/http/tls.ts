import { randomBytes, webcrypto } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';

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

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
type KeyPair = x509.X509CertificateCreateSelfSignedParams['keys'];

function serial(): string {
  const b = randomBytes(16);
  b[0] = b[0]! & 0x7f; // RFC 5280 §4.1.2.2: positive
  return b.toString('hex');
}

function pem(label: string, der: ArrayBuffer): string {
  const b64 = Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n');
  return `-----BEGIN ${label}-----\n${b64.trim()}\n-----END ${label}-----\n`;
}

/**
 * Generates a throw-away CA and a server certificate for sso.D, connectapi.D, diauth.D and
 * connect.D, signed by it, and writes the CA PEM to a fresh temp dir. Both certificates carry
 * Subject/Authority Key Identifiers: strict verifiers (Python ≥ 3.13's VERIFY_X509_STRICT, which
 * garth and python-garminconnect run under) refuse chains without them — the reason this uses
 * @peculiar/x509 directly rather than selfsigned, which cannot emit those extensions.
 */
export async function generateTlsMaterial(domain: string, now: Date): Promise<TlsMaterial> {
  // Node's webcrypto is the provider; the DOM type names are not in our lib, hence the casts.
  x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
  const notBefore = new Date(now.getTime() - 60_000);
  const notAfter = new Date(now.getTime() + 30 * 86_400_000);
  const subtle = webcrypto.subtle;

  const caKeys = (await subtle.generateKey(ALG, true, ['sign', 'verify'])) as KeyPair;
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=GarminSync emulator CA (${domain})`,
    notBefore,
    notAfter,
    signingAlgorithm: ALG,
    keys: caKeys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });

  const keys = (await subtle.generateKey(ALG, true, ['sign', 'verify'])) as KeyPair;
  const server = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=sso.${domain}`,
    issuer: ca.subject,
    notBefore,
    notAfter,
    signingAlgorithm: ALG,
    publicKey: keys.publicKey,
    signingKey: caKeys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        ...TLS_SUBDOMAINS.map((s) => ({ type: 'dns' as const, value: `${s}.${domain}` })),
        { type: 'dns' as const, value: 'localhost' },
        { type: 'ip' as const, value: '127.0.0.1' },
      ]),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(ca),
    ],
  });

  const caCert = ca.toString('pem');
  const key = pem('PRIVATE KEY', await subtle.exportKey('pkcs8', keys.privateKey));
  const dir = await mkdtemp(join(tmpdir(), 'garminsync-emulator-ca-'));
  const caPath = join(dir, 'ca.pem');
  await writeFile(caPath, caCert, { mode: 0o644 });
  return { caCert, caPath, cert: server.toString('pem'), key, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
