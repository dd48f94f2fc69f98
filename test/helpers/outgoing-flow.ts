/** The outgoing flow through the API, as the agency's people take it in the tests. */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { LightMyRequestResponse } from 'fastify'
import { expect } from 'vitest'
import { type Headers, type Organisation, seedOrganisation, tokenFor, USER_PASSWORD } from './accounts.ts'
import { multipartBody } from './multipart.ts'
import type { TestApp } from './test-app.ts'

export const DRAFT_PDF = readFileSync(
  path.resolve(import.meta.dirname, '../fixtures/outgoing/du-thao-quyet-dinh.pdf'),
)
export const DRAFT_DOCX = readFileSync(
  path.resolve(import.meta.dirname, '../fixtures/outgoing/du-thao-quyet-dinh.docx'),
)

export const EXTERNAL = { organId: '000.00.00.G09', name: 'Bộ Nội vụ', email: 'vanthu@moha.example.gov.vn' }
export const EXTERNAL_2 = { organId: '000.00.00.G12', name: 'Bộ Tài chính', email: null }

export interface OutgoingOrg extends Organisation {
  /** Trưởng Phòng Kinh tế: a leader of the officer's unit, who checks the content. */
  headOfUnit: { id: string; headers: Headers }
  /** A second officer of Phòng Kinh tế (a recipient who should see issued documents). */
  colleague: { id: string; headers: Headers }
}

export async function seedOutgoingOrg(t: TestApp): Promise<OutgoingOrg> {
  const org = await seedOrganisation(t.platform, t.app)
  const agency = await t.app.inject({
    method: 'PATCH',
    url: '/api/admin/agency',
    headers: org.admin,
    payload: { name: 'Ủy ban nhân dân tỉnh Hòa Giang', abbreviation: 'UBND' },
  })
  expect(agency.statusCode, agency.body).toBe(200)
  const person = async (username: string, fullName: string, roles: string[]) => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/admin/users',
      headers: org.admin,
      payload: {
        username,
        fullName,
        roles,
        departmentId: org.departments.economy,
        clearance: 1,
        password: USER_PASSWORD,
      },
    })
    expect(response.statusCode, response.body).toBe(201)
    return { id: response.json().id as string, headers: await tokenFor(t.app, username) }
  }
  const headOfUnit = await person('truongphong', 'Đỗ Minh Trưởng', ['leader'])
  const colleague = await person('chuyenvien2', 'Vũ Thị Đồng Nghiệp', ['officer'])
  for (const agency of [EXTERNAL, EXTERNAL_2]) {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/outgoing/agencies',
      headers: org.users.clerk.headers,
      payload: agency,
    })
    expect(response.statusCode, response.body).toBe(201)
  }
  return { ...org, headOfUnit, colleague }
}

export async function createDraft(
  t: TestApp,
  headers: Headers,
  fields: Record<string, string>,
  file: { data: Buffer; fileName: string; contentType: string } = {
    data: DRAFT_PDF,
    fileName: 'du-thao.pdf',
    contentType: 'application/pdf',
  },
): Promise<LightMyRequestResponse> {
  const body = multipartBody([
    ...Object.entries(fields).map(([name, value]) => ({ name, value })),
    { name: 'file', ...file },
  ])
  return t.app.inject({
    method: 'POST',
    url: '/api/outgoing',
    payload: body.payload,
    headers: { ...headers, ...body.headers },
  })
}

/** A decision drafted by the officer for the leader's signature, with an external and an internal recipient. */
export async function draftDecision(
  t: TestApp,
  org: OutgoingOrg,
  subject = 'Về việc thành lập Tổ công tác chuyển đổi số',
) {
  const response = await createDraft(t, org.users.officer.headers, {
    kind: 'Quyết định',
    subject,
    signerId: org.users.leader.id,
    authorityPrefix: 'TM.',
    authorityName: 'ỦY BAN NHÂN DÂN',
    signerPosition: 'CHỦ TỊCH',
    recipients: JSON.stringify([
      { organId: EXTERNAL.organId, channel: 'email' },
      { departmentId: org.departments.economy, purpose: 'handle' },
      { text: 'Như Điều 2' },
    ]),
  })
  expect(response.statusCode, response.body).toBe(201)
  return response.json() as OutgoingJson
}

export interface OutgoingJson {
  document: {
    id: string
    status: string
    numberNotation: string | null
    files: { id: string; role: string; mediaType: string; fileName: string }[]
  }
  outgoing: Record<string, unknown> & { currentVersion: number }
  versions: { version: number; pdfFileId: string; sourceFileId: string | null }[]
  reviews: { state: string; kind: string; reviewer: { id: string }; comment: string | null; round: number }[]
  recipients: {
    id: string
    kind: string
    label: string
    channel: string
    state: string
    stateNote: string | null
  }[]
  allowedActions: string[]
  links: Record<string, unknown>
}

export async function act(
  t: TestApp,
  headers: Headers,
  method: 'POST' | 'PATCH' | 'GET',
  url: string,
  payload?: object,
): Promise<LightMyRequestResponse> {
  return t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) })
}
