import type { FastifyRequest } from 'fastify'
import { actorLabel } from '../../access/actor.ts'
import type { AuditContext } from '../../audit/audit.service.ts'

/** The audit context of a request: who (user or anonymous), from which address, in which request. */
export function auditContextOf(request: FastifyRequest): AuditContext {
  const userAgent = request.headers['user-agent']
  return { actor: actorLabel(request.actor), ip: request.ip, requestId: request.id, userAgent }
}
