import { Type } from 'typebox'
import { Nullable } from '../../platform/http/common.schemas.ts'
import type { SignedResult } from './signing.service.ts'

export const DocumentParams = Type.Object({ id: Type.String({ maxLength: 64 }) })
export const Pin = Type.String({ minLength: 1, maxLength: 64 })
export const Text = Type.String({ maxLength: 200 })

const Coordinate = Type.Number({ minimum: -20000, maximum: 20000 })
const Extent = Type.Number({ exclusiveMinimum: 0, maximum: 20000 })

export const PlacementSchema = Type.Object(
  {
    page: Type.Integer({ minimum: 1, maximum: 100000, description: '1-based page number' }),
    x: Coordinate,
    y: Coordinate,
    width: Extent,
    height: Extent,
  },
  {
    description:
      'Where the signature image goes, in PDF points with the origin at the bottom left of the page; ' +
      'the image is fitted inside, centred, keeping its aspect ratio. Without it the signer block is found ' +
      'from the text of the last page.',
  },
)

export const PadesLevelSchema = Type.Union([
  Type.Literal('B-B'),
  Type.Literal('B-T'),
  Type.Literal('B-LT'),
  Type.Literal('B-LTA'),
])

export const AppearanceSourceSchema = Type.Union(
  [
    Type.Literal('signer-block'),
    Type.Literal('placement'),
    Type.Literal('over-signature'),
    Type.Literal('stamp'),
    Type.Literal('none'),
  ],
  {
    description:
      "signer-block / placement: the leader's image; over-signature: the seal image over the leader's " +
      'signature; stamp: the text stamp at the top right of page 1; none: invisible',
  },
)

export const SealAppearanceSchema = Type.Union([Type.Literal('auto'), Type.Literal('stamp')], {
  description:
    "auto (default): the seal image over the leader's visible signature when both exist, else the text " +
    'stamp; stamp: always the text stamp (separate attachments, electronic copies)',
})

export const CopyFormSchema = Type.Union(
  [Type.Literal('SAO Y'), Type.Literal('SAO LỤC'), Type.Literal('TRÍCH SAO')],
  {
    description: 'Electronic copy: the first line of the text stamp instead of the number and notation',
  },
)

export const SignedFileSchema = Type.Object({
  id: Type.String(),
  documentId: Type.String(),
  role: Type.String(),
  derivedFromId: Nullable(Type.String()),
  fileName: Type.String(),
  sha256: Type.String(),
  size: Type.Integer(),
  signatureCount: Type.Integer(),
  level: PadesLevelSchema,
  visible: Type.Boolean({
    description: 'false: invisible (the leader has no signature image configured)',
  }),
  appearance: AppearanceSourceSchema,
})

export function signedView({ row, level, visible, appearance }: SignedResult) {
  const { id, documentId, role, derivedFromId, fileName, sha256, size, signatureCount } = row
  return {
    id,
    documentId,
    role,
    derivedFromId,
    fileName,
    sha256,
    size,
    signatureCount,
    level,
    visible,
    appearance,
  }
}
