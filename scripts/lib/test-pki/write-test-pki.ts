/**
 * Writes a test PKI to a folder: certificates and PKCS#8 keys as PEM, PKCS#12 files (3DES, which
 * openssl 3, NSS and forge all read) for the end entities with their chain, both CRLs and manifest.json.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import forge from 'node-forge'
import type { IssuedCert } from './issue-cert.ts'
import { END_ENTITIES, type TestPki } from './test-pki.ts'

export interface TestPkiManifest {
  generatedAt: string
  /** Password of every .p12 file (test material only). */
  password: string
  caFile: string
  chainFile: string
  certificates: Record<string, ManifestEntry>
  crls: Record<
    'root' | 'intermediate',
    { pem: string; der: string; nextUpdate: string; revokedSerials: string[] }
  >
}

interface ManifestEntry {
  subject: string
  issuer: string
  serialNumber: string
  notBefore: string
  notAfter: string
  sha256: string
  cert: string
  key: string
  p12?: string
}

export async function writeTestPki(pki: TestPki, outDir: string, password: string): Promise<TestPkiManifest> {
  await mkdir(outDir, { recursive: true })
  const write = (file: string, data: string | Uint8Array) => writeFile(path.join(outDir, file), data)
  const certificates: Record<string, ManifestEntry> = {}
  for (const entity of [pki.root, pki.intermediate, ...END_ENTITIES.map((name) => pki[name])]) {
    const entry = manifestEntry(entity)
    await write(entry.cert, entity.certPem)
    await write(entry.key, entity.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string)
    if (entity !== pki.root && entity !== pki.intermediate) {
      entry.p12 = `${entity.name}.p12`
      await write(entry.p12, pkcs12(entity, [pki.intermediate, pki.root], password))
    }
    certificates[entity.name] = entry
  }
  await write('chain.pem', pki.intermediate.certPem + pki.root.certPem)
  const crls = {} as TestPkiManifest['crls']
  for (const name of ['root', 'intermediate'] as const) {
    const crl = pki.crls[name]
    await write(`${name}.crl.pem`, crl.pem)
    await write(`${name}.crl`, crl.der)
    crls[name] = {
      pem: `${name}.crl.pem`,
      der: `${name}.crl`,
      nextUpdate: crl.nextUpdate.toISOString(),
      revokedSerials: crl.revoked.map((entry) => entry.serialHex),
    }
  }
  const manifest: TestPkiManifest = {
    generatedAt: new Date().toISOString(),
    password,
    caFile: 'root.pem',
    chainFile: 'chain.pem',
    certificates,
    crls,
  }
  await write('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`)
  return manifest
}

/** PKCS#12 with the key, the certificate and its chain; 3DES so that openssl 3 needs no legacy provider. */
export function pkcs12(entity: IssuedCert, chain: IssuedCert[], password: string): Buffer {
  const p12 = forge.pkcs12.toPkcs12Asn1(
    entity.forgeKey,
    [entity.forgeCert, ...chain.map((cert) => cert.forgeCert)],
    password,
    { algorithm: '3des', friendlyName: entity.name },
  )
  return Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary')
}

function manifestEntry(entity: IssuedCert): ManifestEntry {
  return {
    subject: entity.x509.subject.replaceAll('\n', ', '),
    issuer: entity.x509.issuer.replaceAll('\n', ', '),
    serialNumber: entity.serialHex,
    notBefore: entity.forgeCert.validity.notBefore.toISOString(),
    notAfter: entity.forgeCert.validity.notAfter.toISOString(),
    sha256: entity.x509.fingerprint256,
    cert: `${entity.name}.pem`,
    key: `${entity.name}.key.pem`,
  }
}
