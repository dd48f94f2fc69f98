import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { auditContextOf } from '../platform/http/audit-context.ts'
import { Nullable, problemResponses } from '../platform/http/common.schemas.ts'
import {
  countMyUnread,
  listMyNotifications,
  markAllMyNotificationsRead,
  markMyNotificationRead,
} from './notifications.service.ts'

const NotificationSchema = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  documentId: Nullable(Type.String()),
  recordFileId: Nullable(Type.String()),
  title: Type.String(),
  body: Type.String(),
  createdAt: Type.String(),
  readAt: Nullable(Type.String()),
})

/** Thông báo of the signed-in user: each user sees and marks only their own. */
export const notificationsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { platform } = app
  const config = { access: 'account.self' as const }

  app.get(
    '/',
    {
      config,
      schema: {
        summary: 'My notifications, newest first',
        querystring: Type.Object({
          unread: Type.Optional(Type.Boolean()),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
        }),
        response: { 200: Type.Object({ items: Type.Array(NotificationSchema) }) },
      },
    },
    async (request) => ({
      items: await listMyNotifications(platform, request.actor!, {
        unreadOnly: request.query.unread ?? false,
        limit: request.query.limit ?? 50,
      }),
    }),
  )

  app.get(
    '/unread-count',
    {
      config,
      schema: {
        summary: 'How many of my notifications are unread',
        response: { 200: Type.Object({ count: Type.Integer() }) },
      },
    },
    async (request) => ({ count: await countMyUnread(platform, request.actor!) }),
  )

  app.post(
    '/:id/read',
    {
      config,
      schema: {
        summary: 'Mark one of my notifications read',
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        response: { 200: NotificationSchema, ...problemResponses(404) },
      },
    },
    async (request) =>
      markMyNotificationRead(platform, request.actor!, request.params.id, auditContextOf(request)),
  )

  app.post(
    '/read-all',
    {
      config,
      schema: {
        summary: 'Mark all my notifications read',
        response: { 200: Type.Object({ updated: Type.Integer() }) },
      },
    },
    async (request) => markAllMyNotificationsRead(platform, request.actor!, auditContextOf(request)),
  )
}
