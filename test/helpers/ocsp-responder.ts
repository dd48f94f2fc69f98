/**
 * An OCSP responder on loopback for tests, answered by `openssl ocsp` as an independent peer: each POSTed
 * request goes to openssl with an index of the test PKI's end entities (the revoked one marked revoked),
 * signed by the intermediate CA. Start it first (certificates must name its URL), then `serve` the PKI.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import type { IssuedCert } from '../../scripts/lib/test-pki/issue-cert.ts'
import type { TestPki } from '../../scripts/lib/test-pki/test-pki.ts'

const run = promisify(execFile)

export interface TestOcspResponder {
  url: string
  /** OCSP requests received (DER), oldest first. */
  requests: Buffer[]
  serve(pki: TestPki): Promise<void>
  close(): Promise<void>
}

const opensslDate = (date: Date) => `${date.toISOString().slice(2, 19).replace(/[-T:]/g, '')}Z`

export async function startTestOcspResponder(): Promise<TestOcspResponder> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vanthu-ocsp-'))
  const file = (name: string) => path.join(dir, name)
  let served = false
  let sequence = 0
  const requests: Buffer[] = []
  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', async () => {
      const body = Buffer.concat(chunks)
      requests.push(body)
      if (!served || request.method !== 'POST') return void response.writeHead(503).end()
      const id = ++sequence
      try {
        await writeFile(file(`${id}.req`), body)
        await run(
          'openssl',
          [
            'ocsp',
            ...['-index', 'index.txt', '-CA', 'intermediate.pem'],
            ...['-rsigner', 'intermediate.pem', '-rkey', 'intermediate.key'],
            ...['-reqin', `${id}.req`, '-respout', `${id}.resp`, '-ndays', '1'],
          ],
          { cwd: dir },
        )
        const reply = await readFile(file(`${id}.resp`))
        response.writeHead(200, { 'content-type': 'application/ocsp-response' }).end(reply)
      } catch (error) {
        response.writeHead(500).end(String(error))
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/ocsp`,
    requests,
    async serve(pki) {
      const far = opensslDate(new Date(Date.now() + 5 * 365 * 86_400_000))
      // openssl's index wants distinct subjects; only the serial matters to the responder.
      const line = (state: string, cert: IssuedCert, revokedAt = '') =>
        `${state}\t${far}\t${revokedAt}\t${cert.serialHex.toUpperCase()}\tunknown\t/CN=${cert.name}\n`
      const halfADayAgo = opensslDate(new Date(Date.now() - 43_200_000))
      await writeFile(
        file('index.txt'),
        [pki.leader, pki.agency, pki.tsa].map((cert) => line('V', cert)).join('') +
          line('R', pki.revoked, `${halfADayAgo},keyCompromise`),
      )
      await writeFile(file('intermediate.pem'), pki.intermediate.certPem)
      await writeFile(
        file('intermediate.key'),
        pki.intermediate.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
      )
      served = true
    },
    async close() {
      await new Promise((resolve) => server.close(resolve))
      await rm(dir, { recursive: true, force: true })
    },
  }
}
