import { afterAll, beforeAll, it } from 'vitest'
import { DRIVERS } from '../helpers/databases.ts'
import { startTestApp, type TestApp } from '../helpers/test-app.ts'
import { seedOrganisation } from '../helpers/accounts.ts'
import { describe } from 'vitest'

describe.each(DRIVERS)('$name', (driver) => {
let t: TestApp
beforeAll(async () => { t = await startTestApp(driver, { env: { LOGIN_RATE_LIMIT_PER_MINUTE: '1000' } }) })
afterAll(async () => t?.close())
it('scratch', async () => {
  const org = await seedOrganisation(t.platform, t.app)
  for (const url of ['/api/jobs/------------------------------------', '/api/jobs/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa']) {
    const r = await t.app.inject({ url, headers: org.users.clerk.headers })
    console.log(url, r.statusCode, r.body)
  }
  const started = Date.now()
  const rs = await Promise.all(Array.from({ length: 10 }, () => t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'chuyenvien', password: 'wrong password here' } })))
  console.log(rs.map((r) => r.statusCode), Date.now() - started)
  console.log((await t.platform.database.executeSql('select * from login_throttle')).rows)
  const r = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'chuyenvien', password: 'Mật khẩu thử nghiệm đủ dài' } })
  console.log(r.statusCode, r.body.slice(0, 100))
})
})
