import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { contentDisposition, INLINE_FRAME_HEADERS } from '../../documents/download-headers.ts'
import { AppError, fieldError } from '../../platform/errors.ts'
import { Nullable, problemResponses } from '../../platform/http/common.schemas.ts'
import type { Placement } from './signing-appearance.ts'
import { type PreviewInput, previewPdf, previewPlacement } from './signing-preview.service.ts'
import {
  AppearanceSourceSchema,
  CopyFormSchema,
  DocumentParams,
  PlacementSchema,
  SealAppearanceSchema,
} from './signing.schemas.ts'
import type { SigningDeps } from './signing.service.ts'

const PreviewQuery = Type.Object({
  kind: Type.Union([Type.Literal('personal'), Type.Literal('agency-seal')]),
  ...Type.Partial(PlacementSchema).properties,
  appearance: Type.Optional(SealAppearanceSchema),
  copyForm: Type.Optional(CopyFormSchema),
})

type Query = {
  kind: 'personal' | 'agency-seal'
  page?: number
  x?: number
  y?: number
  width?: number
  height?: number
  appearance?: 'auto' | 'stamp'
  copyForm?: 'SAO Y' | 'SAO LỤC' | 'TRÍCH SAO'
}

const PLACEMENT_KEYS = ['page', 'x', 'y', 'width', 'height'] as const

/** The query as preview input: the placement fields come all together or not at all. */
function previewInput(query: Query): PreviewInput {
  const given = PLACEMENT_KEYS.filter((key) => query[key] !== undefined)
  if (given.length > 0 && given.length < PLACEMENT_KEYS.length)
    throw new AppError('validation-failed', {
      errors: PLACEMENT_KEYS.filter((key) => query[key] === undefined).map((key) =>
        fieldError(key, 'field-required'),
      ),
    })
  const placement =
    given.length > 0
      ? (Object.fromEntries(given.map((key) => [key, query[key]])) as unknown as Placement)
      : undefined
  return { kind: query.kind, placement, appearance: query.appearance, copyForm: query.copyForm }
}

const queryDescription =
  'kind=personal (leaders) or agency-seal (clerks); for personal an optional placement (page, x, y, width, ' +
  'height in PDF points, origin bottom left) as in the sign body; for agency-seal optional appearance and copyForm ' +
  'as in the seal body. Nothing is stored.'

/** Signing preview: where the signature would go, and the PDF with it drawn. Registered inside signingRoutes. */
export const signingPreviewRoutes =
  (deps: SigningDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/documents/:id/sign/placement',
      {
        // The kind decides the action (signature.sign or signature.seal): checked in the service.
        config: { access: 'document.read' },
        schema: {
          summary: 'Where the signature would be placed on the latest PDF (no PIN, nothing stored)',
          description: queryDescription,
          params: DocumentParams,
          querystring: PreviewQuery,
          response: {
            200: Type.Object({
              visible: Type.Boolean(),
              source: AppearanceSourceSchema,
              page: Nullable(Type.Integer({ description: '1-based; null when invisible' })),
              rect: Nullable(
                Type.Array(Type.Number(), {
                  minItems: 4,
                  maxItems: 4,
                  description: '[x0, y0, x1, y1] in points',
                }),
              ),
              pageSize: Type.Array(Type.Number(), {
                minItems: 2,
                maxItems: 2,
                description: '[width, height]',
              }),
            }),
            ...problemResponses(400, 403, 404, 409, 422),
          },
        },
      },
      async (request) =>
        previewPlacement(deps, request.actor!, request.params.id, previewInput(request.query)),
    )

    app.get(
      '/documents/:id/sign/preview',
      {
        config: { access: 'document.read' },
        schema: {
          summary: 'The latest PDF with the signature drawn where it would go (unsigned placeholder)',
          description: queryDescription,
          produces: ['application/pdf'],
          params: DocumentParams,
          querystring: PreviewQuery,
          response: problemResponses(400, 403, 404, 409, 422),
        },
      },
      async (request, reply) => {
        const preview = await previewPdf(deps, request.actor!, request.params.id, previewInput(request.query))
        const name = `${preview.fileName.replace(/\.[^.]+$/, '')} (xem trước chữ ký).pdf`
        return reply
          .headers(INLINE_FRAME_HEADERS)
          .header('cache-control', 'private, no-store')
          .header('x-content-type-options', 'nosniff')
          .header('content-disposition', contentDisposition(name, 'inline'))
          .type('application/pdf')
          .send(Buffer.from(preview.bytes))
      },
    )
  }
