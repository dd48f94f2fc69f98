import { createHash } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { bootstrapAdmin } from '../../src/organisation/bootstrap.ts'
import type { Platform } from '../../src/platform/platform.ts'

export const ADMIN_PASSWORD = 'Quản trị viên thử nghiệm 2026'
export const USER_PASSWORD = 'Mật khẩu thử nghiệm đủ dài'

export type Headers = Record<string, string>

/** Signs in through the API and answers the bearer header for the user. */
export async function tokenFor(app: FastifyInstance, username: string, password = USER_PASSWORD): Promise<Headers> {
  const response = await app.inject({ method: 'POST', url: '/api/auth/token', payload: { username, password } })
  if (response.statusCode !== 200) throw new Error(`token for ${username}: ${response.statusCode} ${response.body}`)
  return { authorization: `Bearer ${response.json().token}` }
}

/** Signs in like a browser: the session cookie and the CSRF header for state changes. */
export async function sessionFor(app: FastifyInstance, username: string, password = USER_PASSWORD) {
  const response = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } })
  if (response.statusCode !== 200) throw new Error(`login ${username}: ${response.statusCode} ${response.body}`)
  const cookie = response.cookies.find((c) => c.name === 'vanthu_session')!
  return { cookie: `vanthu_session=${cookie.value}`, csrfToken: response.json().csrfToken as string }
}

export interface Organisation {
  admin: Headers
  departments: { office: string; economy: string }
  users: Record<'clerk' | 'clerkEconomy' | 'leader' | 'officer' | 'archivist' | 'admin', { id: string; headers: Headers }>
}

/**
 * A small agency: Văn phòng (with the clerk) and Phòng Kinh tế (with an officer and a second clerk),
 * a leader, an archivist and the admin — each signed in with a bearer token.
 */
export async function seedOrganisation(platform: Platform, app: FastifyInstance): Promise<Organisation> {
  await bootstrapAdmin(platform.database, ADMIN_PASSWORD)
  const admin = await tokenFor(app, 'admin', ADMIN_PASSWORD)
  const post = async (url: string, payload: object) => {
    const response = await app.inject({ method: 'POST', url, payload, headers: admin })
    if (response.statusCode !== 201) throw new Error(`${url}: ${response.statusCode} ${response.body}`)
    return response.json() as { id: string }
  }
  const office = await post('/api/admin/departments', { name: 'Văn phòng', abbreviation: 'VP' })
  const economy = await post('/api/admin/departments', { name: 'Phòng Kinh tế', abbreviation: 'KT' })
  const person = async (username: string, fullName: string, roles: string[], departmentId: string, clearance = 0) => {
    const user = await post('/api/admin/users', { username, fullName, roles, departmentId, clearance, password: USER_PASSWORD })
    return { id: user.id, headers: await tokenFor(app, username) }
  }
  const adminRow = (await app.inject({ url: '/api/auth/session', headers: admin })).json()
  return {
    admin,
    departments: { office: office.id, economy: economy.id },
    users: {
      clerk: await person('vanthu', 'Nguyễn Thị Văn Thư', ['clerk'], office.id, 1),
      clerkEconomy: await person('vanthukt', 'Trần Văn Kinh', ['clerk'], economy.id),
      leader: await person('lanhdao', 'Lê Văn Lãnh Đạo', ['leader'], office.id, 3),
      officer: await person('chuyenvien', 'Phạm Thị Chuyên Viên', ['officer'], economy.id, 1),
      archivist: await person('luutru', 'Hoàng Văn Lưu Trữ', ['archivist'], office.id),
      admin: { id: adminRow.user.id, headers: admin },
    },
  }
}

export const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')
