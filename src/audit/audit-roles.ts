/**
 * The least-privilege setup of the audit trail on PostgreSQL (`npm run db:roles`, run once by the DBA
 * as a superuser after the migrations). The audit tables and their trigger functions are handed to a
 * role nobody logs in as (`vanthu_audit`); the service's role keeps only what appending needs: SELECT
 * and INSERT on events, checkpoints and keys, SELECT and UPDATE on the head (whose trigger lets it move
 * one appended event forward only). Without ownership the service can neither change rows, nor switch
 * the triggers off, nor replace their functions: someone holding the service's credentials cannot
 * rewrite the trail. A superuser still can: the signed checkpoints are for that.
 */
export const AUDIT_OWNER_ROLE = 'vanthu_audit'

const APPEND_ONLY_TABLES = ['audit_events', 'audit_checkpoints', 'audit_signing_keys']
const AUDIT_FUNCTIONS = ['audit_refuse_change()', 'audit_head_forward_only()']

/** A role name as PostgreSQL identifiers allow it unquoted (no injection through the argument). */
export function assertRoleName(role: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(role)) throw new Error(`Not a plain role name: ${JSON.stringify(role)}`)
  return role
}

/** The statements, in order (run them in one transaction). */
export function auditRoleSetupSql(serviceRole: string): string[] {
  const service = assertRoleName(serviceRole)
  const tables = [...APPEND_ONLY_TABLES, 'audit_head']
  return [
    `DO $$ BEGIN
       IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${AUDIT_OWNER_ROLE}') THEN
         CREATE ROLE ${AUDIT_OWNER_ROLE} NOLOGIN;
       END IF;
     EXCEPTION WHEN duplicate_object THEN NULL;
     END $$`,
    ...tables.map((table) => `ALTER TABLE ${table} OWNER TO ${AUDIT_OWNER_ROLE}`),
    ...AUDIT_FUNCTIONS.map((fn) => `ALTER FUNCTION ${fn} OWNER TO ${AUDIT_OWNER_ROLE}`),
    `REVOKE ALL ON ${tables.join(', ')} FROM PUBLIC, ${service}`,
    `GRANT SELECT, INSERT ON ${APPEND_ONLY_TABLES.join(', ')} TO ${service}`,
    `GRANT SELECT, UPDATE ON audit_head TO ${service}`,
    `REVOKE ${AUDIT_OWNER_ROLE} FROM ${service}`,
  ]
}
