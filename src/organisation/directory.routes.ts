import { and, asc, eq, sql } from 'drizzle-orm'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Database } from '../platform/db/database.ts'
import { departments, positions, users } from '../platform/db/schema/index.ts'
import { Nullable } from '../platform/http/common.schemas.ts'

/**
 * The agency's directory for everyone signed in: whom a clerk submits to, which units and people a
 * leader assigns. Names and roles only — no e-mail, clearance or account state.
 */
export function directoryRoutes(database: Database): FastifyPluginAsyncTypebox {
  return async (app) => {
    const config = { access: 'directory.read' as const }
    app.get(
      '/departments',
      {
        config,
        schema: {
          summary: 'Active departments of my agency',
          response: {
            200: Type.Object({
              items: Type.Array(Type.Object({ id: Type.String(), parentId: Nullable(Type.String()), name: Type.String(), abbreviation: Type.String() })),
            }),
          },
        },
      },
      async (request) => ({
        items: await database.db
          .select({ id: departments.id, parentId: departments.parentId, name: departments.name, abbreviation: departments.abbreviation })
          .from(departments)
          .where(and(eq(departments.agencyId, request.actor!.agencyId), eq(departments.active, true)))
          .orderBy(asc(departments.sortOrder), asc(departments.name)),
      }),
    )
    app.get(
      '/people',
      {
        config,
        schema: {
          summary: 'Active people of my agency, optionally with a role or in a department',
          querystring: Type.Object({
            role: Type.Optional(Type.Union(['admin', 'clerk', 'leader', 'officer', 'archivist'].map((r) => Type.Literal(r)))),
            departmentId: Type.Optional(Type.String({ format: 'uuid' })),
          }),
          response: {
            200: Type.Object({
              items: Type.Array(
                Type.Object({
                  id: Type.String(),
                  fullName: Type.String(),
                  roles: Type.Array(Type.String()),
                  departmentId: Nullable(Type.String()),
                  positionName: Nullable(Type.String()),
                }),
              ),
            }),
          },
        },
      },
      async (request) => ({
        items: await database.db
          .select({ id: users.id, fullName: users.fullName, roles: users.roles, departmentId: users.departmentId, positionName: positions.name })
          .from(users)
          .leftJoin(positions, eq(positions.id, users.positionId))
          .where(
            and(
              eq(users.agencyId, request.actor!.agencyId),
              eq(users.active, true),
              request.query.role ? sql`${request.query.role} = any(${users.roles})` : undefined,
              request.query.departmentId ? eq(users.departmentId, request.query.departmentId) : undefined,
            ),
          )
          .orderBy(asc(users.fullName))
          .limit(1000),
      }),
    )
  }
}
