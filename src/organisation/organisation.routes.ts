import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { findUserProfile } from '../auth/auth.repository.ts'
import { toUserView } from '../auth/user-view.ts'
import { isUuid } from '../platform/ids.ts'
import type { Database } from '../platform/db/database.ts'
import { AppError } from '../platform/errors.ts'
import { auditContextOf } from '../platform/http/audit-context.ts'
import { problemResponses } from '../platform/http/common.schemas.ts'
import * as repository from './organisation.repository.ts'
import {
  AgencyPatch,
  AgencySchema,
  DepartmentInput,
  DepartmentPatch,
  DepartmentSchema,
  IdParams,
  PositionInput,
  PositionPatch,
  PositionSchema,
  UserInput,
  UserPatch,
} from './organisation.schemas.ts'
import * as service from './organisation.service.ts'

const agencyView = (a: repository.AgencyRow) => ({
  id: a.id,
  name: a.name,
  abbreviation: a.abbreviation,
  organId: a.organId,
  requireMfaForPrivileged: a.requireMfaForPrivileged,
})
const departmentView = (d: repository.DepartmentRow) => ({
  id: d.id,
  parentId: d.parentId,
  name: d.name,
  abbreviation: d.abbreviation,
  active: d.active,
})
const positionView = (p: repository.PositionRow) => ({ id: p.id, name: p.name, active: p.active })

const checkId = (id: string) => {
  if (!isUuid(id)) throw new AppError('not-found')
  return id
}

/** Administration of the agency: its settings, departments, positions and users. */
export function organisationRoutes(deps: { database: Database }): FastifyPluginAsyncTypebox {
  return async (app) => {
    const config = { access: 'organisation.manage' as const }
    const items = <T extends Parameters<typeof Type.Array>[0]>(schema: T) => Type.Object({ items: Type.Array(schema) })
    const denied = problemResponses(400, 401, 403, 404)

    app.get('/agency', { config, schema: { summary: 'Agency settings', response: { 200: AgencySchema, ...denied } } }, async (request) =>
      agencyView(await service.getAgency(deps, request.actor!)),
    )
    app.patch(
      '/agency',
      { config, schema: { summary: 'Change agency settings', body: AgencyPatch, response: { 200: AgencySchema, ...denied } } },
      async (request) => agencyView(await service.updateAgency(deps, request.actor!, request.body, auditContextOf(request))),
    )

    app.get('/departments', { config, schema: { summary: 'Departments (a tree by parentId)', response: { 200: items(DepartmentSchema), ...denied } } }, async (request) => ({
      items: (await repository.listDepartments(deps.database.db, request.actor!.agencyId)).map(departmentView),
    }))
    app.post(
      '/departments',
      { config, schema: { summary: 'Create a department', body: DepartmentInput, response: { 201: DepartmentSchema, ...denied } } },
      async (request, reply) =>
        reply.code(201).send(departmentView(await service.createDepartment(deps, request.actor!, request.body, auditContextOf(request)))),
    )
    app.patch(
      '/departments/:id',
      { config, schema: { summary: 'Change a department', params: IdParams, body: DepartmentPatch, response: { 200: DepartmentSchema, ...denied } } },
      async (request) =>
        departmentView(await service.updateDepartment(deps, request.actor!, checkId(request.params.id), request.body, auditContextOf(request))),
    )

    app.get('/positions', { config, schema: { summary: 'Positions (chức vụ)', response: { 200: items(PositionSchema), ...denied } } }, async (request) => ({
      items: (await repository.listPositions(deps.database.db, request.actor!.agencyId)).map(positionView),
    }))
    app.post(
      '/positions',
      { config, schema: { summary: 'Create a position', body: PositionInput, response: { 201: PositionSchema, ...denied } } },
      async (request, reply) =>
        reply.code(201).send(positionView(await service.createPosition(deps, request.actor!, request.body, auditContextOf(request)))),
    )
    app.patch(
      '/positions/:id',
      { config, schema: { summary: 'Change a position', params: IdParams, body: PositionPatch, response: { 200: PositionSchema, ...denied } } },
      async (request) =>
        positionView(await service.updatePosition(deps, request.actor!, checkId(request.params.id), request.body, auditContextOf(request))),
    )

    app.get(
      '/users',
      {
        config,
        schema: {
          summary: 'Users of the agency',
          querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 100 })) }),
          response: { 200: items(Type.Ref('User')), ...denied },
        },
      },
      async (request) => ({
        items: (await repository.listUsers(deps.database.db, request.actor!.agencyId, request.query.q)).map((row) => toUserView(row.user, row)),
      }),
    )
    app.post(
      '/users',
      { config, schema: { summary: 'Create a user', body: UserInput, response: { 201: Type.Ref('User'), ...denied } } },
      async (request, reply) => {
        const user = await service.createUser(deps, request.actor!, request.body, auditContextOf(request))
        return reply.code(201).send(toUserView(user, await userNames(user.id)))
      },
    )
    app.patch(
      '/users/:id',
      { config, schema: { summary: 'Change a user (roles, clearance, active…)', params: IdParams, body: UserPatch, response: { 200: Type.Ref('User'), ...denied } } },
      async (request) => {
        const id = checkId(request.params.id)
        await service.updateUser(deps, request.actor!, id, request.body, auditContextOf(request))
        const profile = await userNames(id)
        return toUserView(profile.user, profile)
      },
    )
    app.post(
      '/users/:id/password',
      {
        config,
        schema: {
          summary: "Set a user's password (ends their sessions)",
          params: IdParams,
          body: Type.Object({ password: Type.String({ maxLength: 1024 }) }),
          response: denied,
        },
      },
      async (request, reply) => {
        await service.setUserPassword(deps, request.actor!, checkId(request.params.id), request.body.password, auditContextOf(request))
        return reply.code(204).send()
      },
    )
    app.post(
      '/users/:id/sessions/revoke',
      { config, schema: { summary: 'End every session of a user', params: IdParams, response: denied } },
      async (request, reply) => {
        await service.endUserSessions(deps, request.actor!, checkId(request.params.id), auditContextOf(request))
        return reply.code(204).send()
      },
    )

    async function userNames(id: string) {
      const profile = await findUserProfile(deps.database.db, id)
      if (!profile) throw new AppError('not-found')
      return profile
    }
  }
}
