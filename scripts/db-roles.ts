/**
 * `npm run db:roles -- --service-role <role>`: on PostgreSQL, hands the audit trail to a role nobody
 * logs in as and leaves the service's role only SELECT/INSERT on it (src/audit/audit-roles.ts). Run it
 * once as a superuser (DATABASE_URL of the DBA) after the service has migrated the database, and again
 * after a migration that changes the audit tables. The service's role must not be a superuser.
 */
import postgres from 'postgres'
import { AUDIT_OWNER_ROLE, assertRoleName, auditRoleSetupSql } from '../src/audit/audit-roles.ts'
import { loadScriptConfig } from './lib/script-platform.ts'

const config = loadScriptConfig('db:roles')
const at = process.argv.indexOf('--service-role')
const serviceRole = at > 0 ? process.argv[at + 1] : undefined
if (!config.databaseUrl || !serviceRole) {
  console.error('vanthu db:roles: needs DATABASE_URL (a superuser) and --service-role <the role the service connects as>')
  process.exit(1)
}
const sql = postgres(config.databaseUrl, { max: 1, onnotice: () => {} })
try {
  const [role] = await sql`select rolsuper from pg_roles where rolname = ${assertRoleName(serviceRole)}`
  if (!role) throw new Error(`no role ${serviceRole}: create it first (CREATE ROLE ${serviceRole} LOGIN PASSWORD '…')`)
  if (role.rolsuper) throw new Error(`${serviceRole} is a superuser, which bypasses every right: give the service a role of its own`)
  await sql.begin(async (tx) => {
    for (const statement of auditRoleSetupSql(serviceRole)) await tx.unsafe(statement)
  })
  console.log(`vanthu db:roles: the audit tables now belong to ${AUDIT_OWNER_ROLE}; ${serviceRole} may only read and append.`)
} catch (error) {
  console.error(`vanthu db:roles: ${(error as Error).message}`)
  process.exitCode = 1
} finally {
  await sql.end()
}
