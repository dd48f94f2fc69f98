import type { FastifyRequest } from 'fastify'
import type { AuditContext } from '../../audit/audit.service.ts'

/** The audit context of a request. Until accounts exist (users issue) every caller is anonymous. */
export function auditContextOf(request: FastifyRequest): AuditContext {
  return { actor: 'anonymous', ip: request.ip, requestId: request.id }
}
