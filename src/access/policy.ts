import { and, eq, gt, lte, or, type SQL, sql } from 'drizzle-orm'
import { documentGrants, documentParticipants, documents } from '../platform/db/schema/index.ts'
import type { Role } from '../platform/db/schema/index.ts'
import type { Actor } from './actor.ts'

/**
 * The access policy: the one place that decides who may do what. Routes declare the action they
 * perform; document-level visibility is a SQL condition, so lists, counts and searches can never
 * include what the caller may not see.
 */
export const ACTIONS = {
  /** Sign in, see and change one's own account. */
  'account.self': { roles: 'any' },
  /** The agency's directory: active departments and people (names, roles) to route documents to. */
  'directory.read': { roles: 'any' },
  /** List and read documents — filtered by documentVisibility. */
  'document.read': { roles: 'any' },
  /** Upload and register a document for one's department. */
  'document.create': { roles: ['clerk'] },
  /** Grant or withdraw access to a secret document (the agency's leaders, within their clearance). */
  'document.grant': { roles: ['leader'] },
  /** Job state and progress (filtered: admins, or jobs about a visible document). */
  'job.read': { roles: 'any' },
  /** The dead-letter list of failed jobs. */
  'job.read-failed': { roles: ['admin'] },
  /** Audit events and chain verification. */
  'audit.read': { roles: ['admin'] },
  /** Sign a checkpoint of the audit chain now (besides the hourly ones). */
  'audit.checkpoint': { roles: ['admin'] },
  /** Agency settings, departments, positions, users, their roles and sessions. */
  'organisation.manage': { roles: ['admin'] },
  /** Import, list, retire one's own signing certificate (PKCS#12) and change its PIN (leaders sign). */
  'signature.credential.self': { roles: ['leader'] },
  /** The agency seal credential (chứng thư số của cơ quan): import and replace; clerks use it with its PIN. */
  'signature.seal.manage': { roles: ['admin'] },
  /** Sign a document's latest PDF with one's own signing credential (ký số). */
  'signature.sign': { roles: ['leader'] },
  /** Add the agency seal (đóng dấu số) to a document the leader has signed. */
  'signature.seal': { roles: ['clerk'] },
  /** The agency's trust store: root and intermediate CAs trusted when verifying signatures. */
  'signature.trust.manage': { roles: ['admin'] },
  /** Trình ký: put a document one may open before a leader for signature, and withdraw the request. */
  'signature.request': { roles: ['clerk', 'officer', 'leader'] },
  /**
   * Renew the long-term validation of a signed document (fresh revocation data and a new document
   * timestamp): the clerk for issued documents, the archivist for the records they keep.
   */
  'signature.renew': { roles: ['clerk', 'archivist'] },
  /** Unlock a signing credential locked by wrong PINs (the agency's admins). */
  'signature.credential.unlock': { roles: ['admin'] },
  // Records and archives (src/records); object-level checks (keeper, department, archive head) in the service.
  /** See file plans, hồ sơ and their mục lục (hồ sơ of one's department, or all for archivists and leaders). */
  'records.read': { roles: 'any' },
  /** Open, edit, close and reopen hồ sơ and file documents into them (the keeper's department, archivists). */
  'records.file': { roles: ['clerk', 'officer', 'leader', 'archivist'] },
  /** Prepare the year's danh mục hồ sơ (copy last year's, add and edit entries). */
  'records.plan.manage': { roles: ['archivist', 'clerk'] },
  /** Approve the year's danh mục hồ sơ (the head of the agency). */
  'records.plan.approve': { roles: ['leader'] },
  /** The retention schedule (bảng thời hạn bảo quản): import and edit entries. */
  'records.retention.manage': { roles: ['admin', 'archivist'] },
  /** Records settings: who heads the agency archive. */
  'records.settings.manage': { roles: ['admin'] },
  /** Nộp lưu: hand closed hồ sơ of one's department to the agency archive. */
  'records.transfer.submit': { roles: ['clerk', 'officer', 'leader', 'archivist'] },
  /** Receive (check and take custody of) or return a transfer: the agency archive. */
  'records.transfer.receive': { roles: ['archivist'] },
  /** Ask to read archived records (phiếu yêu cầu khai thác). */
  'records.access.request': { roles: 'any' },
  /** Approve or refuse access requests: the archive's head (checked in the service). */
  'records.access.decide': { roles: ['archivist', 'leader'] },
  /** Export a hồ sơ as an E-ARK CSIP package. */
  'records.package.export': { roles: ['archivist', 'leader'] },
  /** Place and lift legal holds: admins and the archive's head (checked in the service). */
  'records.hold.manage': { roles: ['admin', 'archivist', 'leader'] },
  /** Propose hồ sơ past retention for destruction, and carry out an approved destruction. */
  'records.disposition.manage': { roles: ['archivist'] },
  /** Record the appraisal council's decision approving a destruction (the head of the agency). */
  'records.disposition.approve': { roles: ['leader'] },
  /** The fixity report and alerts. */
  'records.fixity.read': { roles: ['admin', 'archivist'] },
  // Văn bản đi (src/outgoing): the service also checks the part the actor plays on the document.
  /** Draft outgoing documents: create, edit, new versions, submit, recall (their own drafts). */
  'outgoing.draft': { roles: ['officer', 'clerk', 'leader'] },
  /** Review a draft (approve or return) — whoever the drafter named as reviewer. */
  'outgoing.review': { roles: 'any' },
  /** Cấp số, seal-ready checks, issue, deliveries, revocation execution, copies (văn thư). */
  'outgoing.issue': { roles: ['clerk'] },
  /** Decide to revoke an issued document (thu hồi). */
  'outgoing.decide': { roles: ['leader'] },
  /** The agency's number books (sổ văn bản đi). */
  'outgoing.books.manage': { roles: ['admin'] },
  /** The directory of external agencies documents are sent to (by mã định danh). */
  'outgoing.agencies.manage': { roles: ['admin', 'clerk'] },
} as const satisfies Record<string, { roles: 'any' | readonly Role[] }>

export type Action = keyof typeof ACTIONS

/** Route-level decision: may this actor perform this kind of action at all? */
export function can(actor: Actor, action: Action): boolean {
  const { roles } = ACTIONS[action]
  return roles === 'any' || roles.some((role) => actor.roles.has(role))
}

export type DocumentAccessLevel = 'metadata' | 'content'

/**
 * Which documents the actor may know about (metadata) or open (content):
 * - the registering/issuing department's clerks, people and departments on the routing path, the
 *   agency's leaders, archivists for archived records — metadata and content;
 * - admins — metadata only;
 * - secret documents (độ mật ≥ 1) additionally need clearance ≥ độ mật and an explicit grant; nobody else
 *   learns that they exist.
 */
export function documentVisibility(actor: Actor, level: DocumentAccessLevel): SQL {
  const has = (role: Role) => actor.roles.has(role)
  const onRoutingPath = sql`exists (select 1 from ${documentParticipants} where ${documentParticipants.documentId} = ${
    documents.id
  } and (${documentParticipants.userId} = ${actor.userId}${
    actor.departmentId ? sql` or ${documentParticipants.departmentId} = ${actor.departmentId}` : sql``
  }))`
  const byRole = [
    has('clerk')
      ? sql`${documents.ownerDepartmentId} is not distinct from ${actor.departmentId}::uuid`
      : undefined,
    has('leader') ? sql`true` : undefined,
    has('archivist') ? eq(documents.status, 'archived') : undefined,
    onRoutingPath,
  ].filter((condition): condition is SQL => condition !== undefined)
  const entitled = or(...byRole)!
  const granted = sql`exists (select 1 from ${documentGrants} where ${documentGrants.documentId} = ${
    documents.id
  } and ${documentGrants.userId} = ${actor.userId})`
  const secretOk = and(lte(documents.secrecy, actor.clearance), granted)!
  const openable = and(entitled, or(eq(documents.secrecy, 0), and(gt(documents.secrecy, 0), secretOk)))!
  const visible = level === 'metadata' && has('admin') ? or(openable, eq(documents.secrecy, 0))! : openable
  return and(eq(documents.agencyId, actor.agencyId), visible)!
}

/**
 * documentVisibility as a Meilisearch filter over the indexed access attributes (agencyId,
 * ownerDepartmentId, status, participantUserIds, participantDepartmentIds, grantedUserIds, secrecy):
 * the same rules, so an engine that is not PostgreSQL can apply them inside its query. Ids are
 * checked to be uuids before they enter the expression, so no caller-controlled text ever does.
 */
export function documentVisibilityFilter(actor: Actor, level: DocumentAccessLevel): string {
  type Expr = string | { op: 'AND' | 'OR'; items: Expr[] }
  const render = (expr: Expr, parent?: 'AND' | 'OR'): string => {
    if (typeof expr === 'string') return expr
    if (expr.items.length === 1) return render(expr.items[0]!, parent)
    const text = expr.items.map((item) => render(item, expr.op)).join(` ${expr.op} `)
    return parent && parent !== expr.op ? `(${text})` : text
  }
  const uuid = (value: string | null) => {
    if (value === null || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) {
      throw new Error(`documentVisibilityFilter: ${JSON.stringify(value)} is not a uuid`)
    }
    return `"${value.toLowerCase()}"`
  }
  if (!Number.isInteger(actor.clearance) || actor.clearance < 0) {
    throw new Error(`documentVisibilityFilter: clearance ${actor.clearance} is not a level`)
  }
  const has = (role: Role) => actor.roles.has(role)
  const user = uuid(actor.userId)
  const department = actor.departmentId === null ? null : uuid(actor.departmentId)
  // undefined = entitled to every document of the agency (leaders), as `true` in the SQL.
  const entitled: Expr | undefined = has('leader')
    ? undefined
    : {
        op: 'OR',
        items: [
          ...(has('clerk')
            ? [department ? `ownerDepartmentId = ${department}` : 'ownerDepartmentId IS NULL']
            : []),
          ...(has('archivist') ? ['status = "archived"'] : []),
          `participantUserIds = ${user}`,
          ...(department ? [`participantDepartmentIds = ${department}`] : []),
        ],
      }
  // Without clearance no secret document can be opened: the grant alone is not enough.
  const secretOk: Expr | undefined =
    actor.clearance > 0
      ? { op: 'AND', items: ['secrecy > 0', `secrecy <= ${actor.clearance}`, `grantedUserIds = ${user}`] }
      : undefined
  const both = (a: Expr | undefined, b: Expr): Expr => (a ? { op: 'AND', items: [a, b] } : b)
  // Admins see the metadata of every non-secret document: (entitled ∧ open) ∨ secrecy = 0 simplifies to this.
  const visible: Expr =
    level === 'metadata' && has('admin')
      ? secretOk
        ? { op: 'OR', items: ['secrecy = 0', both(entitled, secretOk)] }
        : 'secrecy = 0'
      : both(entitled, secretOk ? { op: 'OR', items: ['secrecy = 0', secretOk] } : 'secrecy = 0')
  return render({ op: 'AND', items: [`agencyId = ${uuid(actor.agencyId)}`, visible] })
}

/**
 * documentVisibility as keys: the actor's side of the per-document visibility key that the database
 * keeps in every search entry (migration 0015 `vanthu_visibility_keys`, refreshed by triggers in the
 * transaction of each change to documents, participants and grants). A document is visible when its
 * keys hold one of `entitled` and one of `open`, or — admins' metadata view — one of `openAlone`.
 * The pair must say exactly what documentVisibility says: test/integration/visibility-keys.test.ts
 * compares them on random documents, routings, grants, statuses and actors. A new visibility rule
 * changes documentVisibility, vanthu_visibility_keys and this function together.
 */
export function documentVisibilityKeys(
  actor: Actor,
  level: DocumentAccessLevel,
): { entitled: string[]; open: string[]; openAlone: string[] } {
  const has = (role: Role) => actor.roles.has(role)
  const agency = actor.agencyId
  const entitled = [
    ...(has('leader') ? [`l:${agency}`] : []),
    ...(has('clerk') ? [`c:${agency}:${actor.departmentId ?? '-'}`] : []),
    ...(has('archivist') ? [`r:${agency}`] : []),
    `u:${agency}:${actor.userId}`,
    ...(actor.departmentId ? [`d:${agency}:${actor.departmentId}`] : []),
  ]
  // A grant opens a secret document whose level the clearance reaches (levels are 1–3).
  const levels = Math.min(Math.max(Math.trunc(actor.clearance), 0), 3)
  const granted = Array.from({ length: levels }, (_, i) => `g:${agency}:${actor.userId}:${i + 1}`)
  const open = [`o:${agency}`, ...granted]
  return { entitled, open, openAlone: level === 'metadata' && has('admin') ? [`o:${agency}`] : [] }
}

/**
 * documentVisibilityKeys as a condition on a text[] column of keys (the GIN index can serve it).
 * `openTestedPerRow`: the `open` half is tested on each row the rest of the condition finds, not
 * looked up in the index — every document that is not secret holds `o:<agency>`, so its posting list is
 * the whole agency's (98,045 of 100,000 documents), and intersecting it costs more than the search.
 */
export function visibilityKeyCondition(
  column: SQL,
  actor: Actor,
  level: DocumentAccessLevel,
  { openTestedPerRow = false }: { openTestedPerRow?: boolean } = {},
): SQL {
  const { entitled, open, openAlone } = documentVisibilityKeys(actor, level)
  const array = (keys: string[]) =>
    sql`array[${sql.join(
      keys.map((key) => sql`${key}`),
      sql`, `,
    )}]::text[]`
  const opened = openTestedPerRow ? sql`(${column} && ${array(open)}) is true` : sql`${column} && ${array(open)}`
  const both = sql`(${column} && ${array(entitled)} and ${opened})`
  return openAlone.length > 0 ? sql`(${both} or ${column} && ${array(openAlone)})` : both
}
