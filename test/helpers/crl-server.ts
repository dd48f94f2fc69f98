/**
 * The test PKI's CRLs on loopback, at the distribution points its certificates name (`base`/root.crl
 * and `base`/intermediate.crl). Set `pki` once the PKI is made with `crlBaseUrl: base`; `down` answers
 * 404 to everything; `intermediateCrl: false` serves the root's CRL only (end entities then need OCSP).
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { TestPki } from '../../scripts/lib/test-pki/test-pki.ts'

export interface TestCrlServer {
  base: string
  pki: TestPki | undefined
  down: boolean
  intermediateCrl: boolean
  /** Requests received so far. */
  requests: number
  close(): Promise<void>
}

export async function startTestCrlServer(): Promise<TestCrlServer> {
  const server = createServer((request, response) => {
    state.requests++
    const crl = request.url?.endsWith('/root.crl')
      ? state.pki?.crls.root
      : request.url?.endsWith('/intermediate.crl') && state.intermediateCrl
        ? state.pki?.crls.intermediate
        : undefined
    if (state.down || !crl) return void response.writeHead(404).end()
    response.writeHead(200, { 'content-type': 'application/pkix-crl' }).end(crl.der)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const state: TestCrlServer = {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/crl`,
    pki: undefined,
    down: false,
    intermediateCrl: true,
    requests: 0,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
  return state
}
