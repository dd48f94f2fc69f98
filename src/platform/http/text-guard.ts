import type { FastifyInstance } from 'fastify'
import { AppError, type FieldError, fieldError } from '../errors.ts'

/**
 * Characters no text field of ours may hold: C0 controls but tab, line feed and carriage return (NUL
 * above all: PostgreSQL cannot store it and answered 500), DEL, C1 controls, and the bidirectional
 * embeddings, overrides and isolates that make a stored text read differently from what it is
 * ("Trojan Source"). Marks such as LRM/RLM and zero-width spaces are left alone: pasted text has them.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** Objects and arrays nested deeper than this are refused before anything walks them recursively. */
export const MAX_INPUT_DEPTH = 32

/** Whether a string holds a forbidden control character or a lone surrogate (ill-formed UTF-16). */
export function hasForbiddenCharacters(value: string): boolean {
  return FORBIDDEN.test(value) || LONE_SURROGATE.test(value)
}

/**
 * The fields (dotted paths, as validation errors name them) whose values or names hold forbidden
 * characters, plus one error when the input nests deeper than MAX_INPUT_DEPTH. Walks iteratively:
 * a JSON body of a million `[` cannot overflow the stack here.
 */
export function forbiddenTextFields(input: unknown, root = 'body'): FieldError[] {
  const errors: FieldError[] = []
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: input, path: '', depth: 0 }]
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!
    const name = path || root
    if (typeof value === 'string') {
      if (hasForbiddenCharacters(value)) errors.push(fieldError(name, 'field-control-characters'))
      continue
    }
    if (value === null || typeof value !== 'object') continue
    if (depth >= MAX_INPUT_DEPTH) {
      errors.push(fieldError(name, 'field-nested-too-deep'))
      continue
    }
    for (const [key, member] of Object.entries(value)) {
      const memberPath = path ? `${path}.${key}` : key
      if (hasForbiddenCharacters(key)) errors.push(fieldError(path || root, 'field-control-characters'))
      else stack.push({ value: member, path: memberPath, depth: depth + 1 })
    }
  }
  return errors.reverse()
}

/**
 * One guard for every route, present and future: before schema validation, the JSON body, query
 * string and path parameters are searched for forbidden characters, and a request carrying any is
 * refused with 400 naming the fields. Multipart fields are checked where forms are read
 * (documents/upload-form.ts uses forbiddenTextFields too).
 */
export function registerTextGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const errors = [
      ...forbiddenTextFields(request.params, 'params'),
      ...forbiddenTextFields(request.query, 'query'),
      ...(request.isMultipart() ? [] : forbiddenTextFields(request.body, 'body')),
    ]
    if (errors.length > 0) throw new AppError('validation-failed', { errors })
  })
}
