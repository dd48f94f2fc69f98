import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { adminPasswordNotice, bootstrapAdmin } from '../../src/organisation/bootstrap.ts'
import { auditEvents } from '../../src/platform/db/schema/index.ts'
import { pgliteDriver } from '../helpers/databases.ts'
import { startTestApp, type TestApp } from '../helpers/test-app.ts'

/**
 * VANTHU_ADMIN_PASSWORD after the first start (issue 11 item 2): the README's order — start, then seed
 * with the variable — used to leave the admin with the random first-start password and no word why. The
 * password now applies while nobody has signed in as admin, and is reported as ignored after.
 */
describe('the admin password from VANTHU_ADMIN_PASSWORD', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await startTestApp(pgliteDriver)
  }, 60_000)
  afterAll(async () => t?.close())

  const signIn = (password: string) =>
    t.app.inject({ method: 'POST', url: '/api/auth/token', payload: { username: 'admin', password } })

  it('GIVEN a first start without the variable WHEN a later start or the seed gives it before anyone signed in THEN it becomes the password, audited; AFTER a sign-in it is ignored and said so', async () => {
    const { database } = t.platform
    const first = await bootstrapAdmin(database, undefined)
    expect(first.created).toBe(true)
    expect(first.generatedPassword).toBeTruthy()

    const chosen = 'Quản trị Hòa Giang 2026'
    const applied = await bootstrapAdmin(database, chosen)
    expect(applied).toEqual({ created: false, adminPassword: 'applied' })
    expect(adminPasswordNotice(applied)).toContain('applied')
    expect(await bootstrapAdmin(database, chosen)).toEqual({ created: false, adminPassword: 'unchanged' })
    expect(adminPasswordNotice({ created: false, adminPassword: 'unchanged' })).toBeUndefined()
    const set = await database.db.select().from(auditEvents).where(eq(auditEvents.action, 'user.password-set'))
    expect(set).toHaveLength(1)

    expect((await signIn(first.generatedPassword!)).statusCode).toBe(401)
    expect((await signIn(chosen)).statusCode).toBe(200)

    const ignored = await bootstrapAdmin(database, 'Một mật khẩu khác 2026')
    expect(ignored).toEqual({ created: false, adminPassword: 'ignored' })
    expect(adminPasswordNotice(ignored)).toContain('ignored')
    expect((await signIn('Một mật khẩu khác 2026')).statusCode).toBe(401)
    expect((await signIn(chosen)).statusCode).toBe(200)
    expect(await bootstrapAdmin(database, undefined)).toEqual({ created: false })
  })
})
