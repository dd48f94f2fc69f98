import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import type { Actor } from '../../access/actor.ts'
import { AppError } from '../../platform/errors.ts'
import { auditContextOf } from '../../platform/http/audit-context.ts'
import { problemResponses } from '../../platform/http/common.schemas.ts'
import type { Platform } from '../../platform/platform.ts'
import { currentImage, type ImageScope, imageView, ownerOf, readImage, retireImage, setImage } from './images.service.ts'
import { MAX_IMAGE_BYTES } from './png-check.ts'

const ImageSchema = Type.Object(
  {
    id: Type.String(),
    kind: Type.Union([Type.Literal('signature'), Type.Literal('seal')]),
    width: Type.Integer(),
    height: Type.Integer(),
    sha256: Type.String(),
    createdAt: Type.String(),
  },
  { description: 'The current image (its PNG is served by the GET of the same path)' },
)

const uploadDescription =
  'multipart/form-data `file`: a PNG with a transparent background (alpha channel or tRNS), at most 512 KiB ' +
  'and 3000 px a side. Replaces (retires) the current image.'

/** Reads the multipart `file` part, at most MAX_IMAGE_BYTES (a larger one is refused, not truncated). */
async function readImagePart(request: FastifyRequest): Promise<Buffer> {
  if (!request.isMultipart()) throw new AppError('unsupported-media-type')
  const part = await request.file({ limits: { fileSize: MAX_IMAGE_BYTES, files: 1 } })
  if (part?.fieldname !== 'file') {
    part?.file.resume()
    throw new AppError('upload-missing-file')
  }
  let bytes: Buffer
  try {
    bytes = await part.toBuffer()
  } catch (error) {
    if ((error as { code?: string }).code !== 'FST_REQ_FILE_TOO_LARGE') throw error
    bytes = Buffer.alloc(0)
  }
  if (part.file.truncated || bytes.length > MAX_IMAGE_BYTES)
    throw new AppError('upload-too-large', {
      detail: 'Ảnh không được lớn hơn 512 KiB. / The image must be at most 512 KiB.',
    })
  if (bytes.length === 0) throw new AppError('upload-empty')
  return bytes
}

/** Admins manage the seal image; the agency's clerks may look at it (they apply it). */
function mayViewSeal(actor: Actor) {
  if (!actor.roles.has('admin') && !actor.roles.has('clerk')) throw new AppError('forbidden')
}

/** The images visible signatures show: a leader's own signature image and the agency seal image. */
export const signatureImageRoutes =
  (platform: Platform): FastifyPluginAsyncTypebox =>
  async (app) => {
    const { database } = platform
    const sendPng = async (reply: FastifyReply, actor: Actor, scope: ImageScope) => {
      const row = await readImage(database, actor, scope)
      return reply
        .header('content-type', 'image/png')
        .header('cache-control', 'private, no-store')
        .header('x-content-type-options', 'nosniff')
        .header('etag', `"${row.sha256}"`)
        .send(Buffer.from(row.png))
    }
    const routes = [
      {
        path: '/me/signature-image',
        scope: 'own-signature' as const,
        manage: 'signature.credential.self' as const,
        view: 'signature.credential.self' as const,
        label: 'my signature image (blue, for my visible signatures)',
      },
      {
        path: '/admin/signing/seal-image',
        scope: 'agency-seal' as const,
        manage: 'signature.seal.manage' as const,
        view: 'directory.read' as const,
        label: "the agency's seal image (red, actual size; admins set it, clerks apply it)",
      },
    ]
    for (const { path, scope, manage, view, label } of routes) {
      app.put(
        path,
        {
          config: { access: manage },
          schema: {
            summary: `Set ${label}`,
            description: uploadDescription,
            consumes: ['multipart/form-data'],
            response: { 200: ImageSchema, ...problemResponses(400, 401, 403, 409, 413, 415, 422) },
          },
        },
        async (request) =>
          setImage(database, request.actor!, scope, await readImagePart(request), auditContextOf(request)),
      )
      app.get(
        path,
        {
          config: { access: view },
          schema: {
            summary: `The PNG of ${label}`,
            produces: ['image/png'],
            response: problemResponses(401, 403, 404),
          },
        },
        async (request, reply) => {
          if (scope === 'agency-seal') mayViewSeal(request.actor!)
          return sendPng(reply, request.actor!, scope)
        },
      )
      // Asked by pages on every load: 200 with null when there is no image, so no load logs a failed request.
      app.get(
        `${path}/info`,
        {
          config: { access: view },
          schema: {
            summary: `Whether there is ${label}, and which`,
            response: { 200: Type.Object({ image: Type.Union([ImageSchema, Type.Null()]) }), ...problemResponses(401, 403) },
          },
        },
        async (request) => {
          if (scope === 'agency-seal') mayViewSeal(request.actor!)
          const row = await currentImage(database.db, ownerOf(request.actor!, scope))
          return { image: row ? imageView(row) : null }
        },
      )
      app.delete(
        path,
        {
          config: { access: manage },
          schema: { summary: `Retire ${label}`, response: problemResponses(401, 403, 404) },
        },
        async (request, reply) => {
          await retireImage(database, request.actor!, scope, auditContextOf(request))
          return reply.code(204).send()
        },
      )
    }
  }
