/**
 * Thin helpers over forge.asn1: forge works on "binary strings" (one char per byte), the rest of the code
 * on Buffers. Parsing keeps BIT STRINGs opaque so that a parsed structure re-encodes to the same bytes.
 */
import forge from 'node-forge'

export const asn1 = forge.asn1
export type Asn1 = forge.asn1.Asn1
const { Class, Type } = forge.asn1

export const toBinary = (bytes: Uint8Array) => Buffer.from(bytes).toString('binary')
export const fromBinary = (bytes: string) => Buffer.from(bytes, 'binary')

export function encode(node: Asn1): Buffer {
  return fromBinary(asn1.toDer(node).getBytes())
}

/** Parses one DER/BER value that must fill `bytes` exactly. */
export function decode(bytes: Uint8Array): Asn1 {
  // @types/node-forge only knows the older boolean `strict` argument.
  const fromDer = asn1.fromDer as unknown as (input: forge.util.ByteStringBuffer, options: object) => Asn1
  return fromDer(forge.util.createBuffer(toBinary(bytes)), {
    strict: true,
    parseAllBytes: true,
    decodeBitStrings: false,
  })
}

export const seq = (...children: Asn1[]) => asn1.create(Class.UNIVERSAL, Type.SEQUENCE, true, children)
export const oid = (dotted: string) =>
  asn1.create(Class.UNIVERSAL, Type.OID, false, asn1.oidToDer(dotted).getBytes())
export const octets = (bytes: Uint8Array) =>
  asn1.create(Class.UNIVERSAL, Type.OCTETSTRING, false, toBinary(bytes))
export const nullValue = () => asn1.create(Class.UNIVERSAL, Type.NULL, false, '')
export const bool = (value: boolean) =>
  asn1.create(Class.UNIVERSAL, Type.BOOLEAN, false, value ? '\xff' : '\x00')
export const smallInt = (value: number) =>
  asn1.create(Class.UNIVERSAL, Type.INTEGER, false, asn1.integerToDer(value).getBytes())
/** A non-negative INTEGER from its magnitude bytes (a 0x00 is prepended when the high bit is set). */
export function unsignedInt(magnitude: Uint8Array): Asn1 {
  let bytes = Buffer.from(magnitude)
  while (bytes.length > 1 && bytes[0] === 0 && bytes[1]! < 0x80) bytes = bytes.subarray(1)
  if (bytes.length === 0 || bytes[0]! >= 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes])
  return asn1.create(Class.UNIVERSAL, Type.INTEGER, false, toBinary(bytes))
}
export const generalizedTime = (date: Date) =>
  asn1.create(Class.UNIVERSAL, Type.GENERALIZEDTIME, false, asn1.dateToGeneralizedTime(date))
export const contextTag = (tag: number, constructed: boolean, value: Asn1[] | string) =>
  asn1.create(Class.CONTEXT_SPECIFIC, tag, constructed, value)

/** DER SET OF: members sorted by their encodings (X.690 11.6); signed attributes depend on it. */
export function setOf(children: Asn1[]): Asn1 {
  const sorted = children
    .map((child) => ({ child, der: encode(child) }))
    .sort((a, b) => Buffer.compare(a.der, b.der))
  return asn1.create(
    Class.UNIVERSAL,
    Type.SET,
    true,
    sorted.map((entry) => entry.child),
  )
}

/** AlgorithmIdentifier; SHA-2 digests go without parameters (RFC 5754), RSA with NULL (RFC 3370). */
export const algorithm = (dotted: string, params?: Asn1) =>
  params ? seq(oid(dotted), params) : seq(oid(dotted))

export function children(node: Asn1 | undefined): Asn1[] {
  return node && Array.isArray(node.value) ? node.value : []
}

export function bytesOf(node: Asn1 | undefined): Buffer {
  if (!node) return Buffer.alloc(0)
  // A BER constructed OCTET STRING carries its content in chunks.
  if (Array.isArray(node.value)) return Buffer.concat(node.value.map(bytesOf))
  return fromBinary(node.value)
}

export const oidOf = (node: Asn1 | undefined) =>
  node && node.type === Type.OID && !node.constructed ? asn1.derToOid(node.value as string) : undefined

export const isContext = (node: Asn1 | undefined, tag: number) =>
  node !== undefined && node.tagClass === Class.CONTEXT_SPECIFIC && node.type === tag

/** The magnitude of a non-negative INTEGER as a bigint. */
export const integerOf = (node: Asn1 | undefined) => {
  const bytes = bytesOf(node)
  return bytes.length ? BigInt(`0x${bytes.toString('hex')}`) : 0n
}

export { Class, Type }
