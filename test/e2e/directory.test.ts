import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Organisation, seedOrganisation } from '../helpers/accounts.ts'
import { pgliteDriver } from '../helpers/databases.ts'
import { startTestApp, type TestApp } from '../helpers/test-app.ts'

describe('the agency directory', () => {
  let t: TestApp
  let org: Organisation
  beforeAll(async () => {
    t = await startTestApp(pgliteDriver)
    org = await seedOrganisation(t.platform, t.app)
  })
  afterAll(async () => t?.close())

  it('GIVEN a clerk WHEN listing leaders THEN names and roles come back, without e-mail or clearance', async () => {
    const response = await t.app.inject({ url: '/api/directory/people?role=leader', headers: org.users.clerk.headers })
    expect(response.statusCode).toBe(200)
    expect(response.json().items).toEqual([
      { id: org.users.leader.id, fullName: 'Lê Văn Lãnh Đạo', roles: ['leader'], departmentId: org.departments.office, positionName: null },
    ])
  })

  it('GIVEN an officer WHEN listing departments and the people of one THEN they are the agency’s active ones', async () => {
    const departments = (await t.app.inject({ url: '/api/directory/departments', headers: org.users.officer.headers })).json()
    expect(departments.items.map((d: { name: string }) => d.name).sort()).toEqual(['Phòng Kinh tế', 'Văn phòng'])
    const people = (await t.app.inject({ url: `/api/directory/people?departmentId=${org.departments.economy}`, headers: org.users.officer.headers })).json()
    expect(people.items.map((p: { fullName: string }) => p.fullName).sort()).toEqual(['Phạm Thị Chuyên Viên', 'Trần Văn Kinh'])
  })
})
