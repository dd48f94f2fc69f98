/**
 * What signing tests set up through the API, as an agency would: the admin trusts the test root, a
 * leader (or the admin, for the agency seal) imports a PKCS#12 credential with a PIN.
 */
import { expect } from 'vitest'
import type { IssuedCert } from '../../scripts/lib/test-pki/issue-cert.ts'
import type { TestPki } from '../../scripts/lib/test-pki/test-pki.ts'
import { pkcs12 } from '../../scripts/lib/test-pki/write-test-pki.ts'
import type { Headers } from './accounts.ts'
import { multipartBody } from './multipart.ts'
import type { TestApp } from './test-app.ts'

export const TEST_P12_PASSWORD = 'mật-khẩu-p12'

async function postMultipart(
  t: TestApp,
  url: string,
  headers: Headers,
  parts: Parameters<typeof multipartBody>[0],
) {
  const body = multipartBody(parts)
  const response = await t.app.inject({
    method: 'POST',
    url,
    payload: body.payload,
    headers: { ...headers, ...body.headers },
  })
  expect(response.statusCode, response.body).toBe(201)
  return response.json()
}

/** The agency's admin adds the test root to its trust store; answers the anchor's id. */
export async function trustTestRoot(t: TestApp, adminHeaders: Headers, pki: TestPki): Promise<string> {
  const root = Buffer.from(pki.root.certPem)
  const parts = [{ name: 'file', fileName: 'root.pem', contentType: 'application/x-pem-file', data: root }]
  return (await postMultipart(t, '/api/admin/trust-anchors', adminHeaders, parts)).id
}

/**
 * Imports `entity`'s certificate and key (with the test chain) as a PKCS#12 file under `pin`:
 * `/api/me/signing-credentials` for a leader, `/api/admin/signing/agency-seal` for the seal.
 */
export async function importTestCredential(
  t: TestApp,
  url: '/api/me/signing-credentials' | '/api/admin/signing/agency-seal',
  headers: Headers,
  input: { entity: IssuedCert; pki: Pick<TestPki, 'intermediate' | 'root'>; pin: string },
): Promise<void> {
  const p12 = pkcs12(input.entity, [input.pki.intermediate, input.pki.root], TEST_P12_PASSWORD)
  await postMultipart(t, url, headers, [
    { name: 'file', fileName: 'chu-ky.p12', contentType: 'application/x-pkcs12', data: p12 },
    { name: 'password', value: TEST_P12_PASSWORD },
    { name: 'pin', value: input.pin },
  ])
}
