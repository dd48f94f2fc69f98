import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { auditContextOf } from '../../platform/http/audit-context.ts'
import { Nullable, problemResponses } from '../../platform/http/common.schemas.ts'
import { importRetentionEntries, listRetentionEntries, parseRetentionCsv, updateRetentionEntry } from './retention.service.ts'

const EntryInput = Type.Object(
  {
    source: Type.String({ maxLength: 100 }),
    code: Type.String({ maxLength: 30 }),
    groupTitle: Type.Optional(Nullable(Type.String({ maxLength: 300 }))),
    title: Type.String({ maxLength: 500 }),
    retentionYears: Nullable(Type.Integer({ minimum: 1, maximum: 100, description: 'null = Vĩnh viễn' })),
    notes: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)

const EntrySchema = Type.Object({
  id: Type.String(),
  source: Type.String(),
  code: Type.String(),
  groupTitle: Nullable(Type.String()),
  title: Type.String(),
  retentionYears: Nullable(Type.Integer()),
  notes: Nullable(Type.String()),
  active: Type.Boolean(),
})

/** The retention schedule (bảng thời hạn bảo quản) as data: list, import (JSON or CSV), edit. */
export const retentionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { platform } = app
  const view = (row: Awaited<ReturnType<typeof listRetentionEntries>>[number]) => ({
    id: row.id,
    source: row.source,
    code: row.code,
    groupTitle: row.groupTitle,
    title: row.title,
    retentionYears: row.retentionYears,
    notes: row.notes,
    active: row.active,
  })

  app.get('/retention-schedule', { config: { access: 'records.read' }, schema: { summary: 'The retention schedule entries', response: { 200: Type.Array(EntrySchema) } } }, async (request) =>
    (await listRetentionEntries(platform, request.actor!)).map(view),
  )

  app.post(
    '/retention-schedule/import',
    {
      config: { access: 'records.retention.manage' },
      schema: {
        summary: 'Import schedule rows (JSON entries, or CSV text: source;code;group;title;years|Vĩnh viễn;notes)',
        body: Type.Object({ entries: Type.Optional(Type.Array(EntryInput, { maxItems: 5000 })), csv: Type.Optional(Type.String({ maxLength: 900_000 })) }, { additionalProperties: false }),
        response: { 200: Type.Object({ added: Type.Integer(), updated: Type.Integer() }), ...problemResponses(400) },
      },
    },
    async (request) => {
      const entries = [...(request.body.entries ?? []), ...(request.body.csv ? parseRetentionCsv(request.body.csv) : [])]
      return importRetentionEntries(platform, request.actor!, entries, auditContextOf(request))
    },
  )

  app.put(
    '/retention-schedule/:id',
    { config: { access: 'records.retention.manage' }, schema: { summary: 'Edit one schedule entry', params: Type.Object({ id: Type.String({ maxLength: 64 }) }), body: EntryInput, response: { 200: EntrySchema, ...problemResponses(400, 404) } } },
    async (request) => view(await updateRetentionEntry(platform, request.actor!, request.params.id, request.body, auditContextOf(request))),
  )
}
