import { sql } from 'drizzle-orm'
import {
  type AnyPgColumn,
  boolean,
  check,
  index,
  integer,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core'

const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'date', precision: 3 }).notNull().defaultNow()
const updatedAt = () => timestamp('updated_at', { withTimezone: true, mode: 'date', precision: 3 }).notNull().defaultNow()

/** A cơ quan, tổ chức: issues and receives documents under its abbreviation and identifier code. */
export const agencies = pgTable('agencies', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: varchar('name', { length: 200 }).notNull(),
  /** Used in notations, e.g. `UBND` in `15/QĐ-UBND`. */
  abbreviation: varchar('abbreviation', { length: 30 }).notNull(),
  /** Mã định danh (OrganId), e.g. `000.00.00.H41`; up to 35 characters since the 2025 mergers. */
  organId: varchar('organ_id', { length: 35 }),
  /** When set, leaders and admins must enrol in two-factor authentication. */
  requireMfaForPrivileged: boolean('require_mfa_for_privileged').notNull().default(false),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
})

/** Phòng, ban, đơn vị: a tree under the agency. */
export const departments = pgTable(
  'departments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => agencies.id),
    parentId: uuid('parent_id').references((): AnyPgColumn => departments.id),
    name: varchar('name', { length: 200 }).notNull(),
    /** Used in công văn notations, e.g. `VP` in `05/BNV-VP`. */
    abbreviation: varchar('abbreviation', { length: 30 }).notNull(),
    sortOrder: integer('sort_order').notNull().default(0),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('departments_agency_idx').on(t.agencyId, t.parentId)],
)

/** Chức vụ: Chánh Văn phòng, Phó Giám đốc, Chuyên viên… */
export const positions = pgTable('positions', {
  id: uuid('id').primaryKey().defaultRandom(),
  agencyId: uuid('agency_id')
    .notNull()
    .references(() => agencies.id),
  name: varchar('name', { length: 100 }).notNull(),
  sortOrder: integer('sort_order').notNull().default(0),
  active: boolean('active').notNull().default(true),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
})

export const ROLES = ['admin', 'clerk', 'leader', 'officer', 'archivist'] as const
export type Role = (typeof ROLES)[number]

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => agencies.id),
    /** Stored in lower case; unique. */
    username: varchar('username', { length: 50 }).notNull(),
    fullName: varchar('full_name', { length: 100 }).notNull(),
    email: varchar('email', { length: 200 }),
    departmentId: uuid('department_id').references(() => departments.id),
    positionId: uuid('position_id').references(() => positions.id),
    roles: text('roles').array().notNull().default(sql`'{}'::text[]`),
    /** Highest secrecy level (độ mật) the user may be granted: 0 none … 3 Tuyệt mật. */
    clearance: smallint('clearance').notNull().default(0),
    active: boolean('active').notNull().default(true),
    passwordHash: text('password_hash').notNull(),
    passwordChangedAt: timestamp('password_changed_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    /** TOTP secret (base32), encrypted with the server key; null until enrolment is confirmed. */
    totpSecret: text('totp_secret'),
    totpPendingSecret: text('totp_pending_secret'),
    totpEnabledAt: timestamp('totp_enabled_at', { withTimezone: true, mode: 'date' }),
    /** The last accepted TOTP time step: a code is good once (no replay within its window). */
    totpLastStep: integer('totp_last_step'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('users_username_idx').on(t.username),
    index('users_department_idx').on(t.departmentId),
    check('users_clearance_check', sql`${t.clearance} between 0 and 3`),
    check('users_roles_check', sql`${t.roles} <@ array['admin','clerk','leader','officer','archivist']::text[]`),
  ],
)
