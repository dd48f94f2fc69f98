/**
 * Schema compilers that compile on first use. Fastify's own compilers (ajv for request validation,
 * fast-json-stringify for responses) build every route's functions while the server starts — a large
 * part of the start-up time for ~150 routes, most of which a given day never calls. These wrap the same
 * compilers with the same options: a route's validator or serializer is built the first time a request
 * needs it, and `compileRemaining` builds the rest in small slices once the server listens, so a schema
 * that does not compile is still reported soon after start (and by the test that calls it).
 */
import { setImmediate as yieldToRequests } from 'node:timers/promises'
import AjvCompiler from '@fastify/ajv-compiler'
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler'
import type { FastifyServerOptions } from 'fastify'

declare module 'fastify' {
  interface FastifyInstance {
    /** Compiles the route schemas no request has needed yet (see lazy-schemas.ts). */
    compileRemainingSchemas(): Promise<void>
  }
}

type Validate = ((data: unknown) => unknown) & { errors?: unknown }
type Serialize = (data: unknown) => string

type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>

export interface LazySchemaCompilers {
  /** For `Fastify({ schemaController: { compilersFactory } })`. */
  compilersFactory: CompilersFactory
  /** Compiles every schema no request has needed yet; rejects with the first that does not compile. */
  compileRemaining(): Promise<void>
}

export function lazySchemaCompilers(): LazySchemaCompilers {
  const buildValidator = AjvCompiler() as unknown as (
    ...args: unknown[]
  ) => (routeSchema: unknown) => Validate
  const buildSerializer = SerializerSelector() as unknown as (
    ...args: unknown[]
  ) => (routeSchema: unknown) => Serialize
  const pending: (() => unknown)[] = []
  const compilersFactory = {
    buildValidator(...args: unknown[]) {
      const compile = buildValidator(...args)
      return (routeSchema: unknown) => {
        let validate: Validate | undefined
        const built = () => (validate ??= compile(routeSchema))
        pending.push(built)
        // Fastify reads `errors` from the function it was given after a failed validation.
        const lazy: Validate = (data) => {
          const real = built()
          const valid = real(data)
          lazy.errors = real.errors
          return valid
        }
        return lazy
      }
    },
    buildSerializer(...args: unknown[]) {
      const compile = buildSerializer(...args)
      return (routeSchema: unknown) => {
        let serialize: Serialize | undefined
        const built = () => (serialize ??= compile(routeSchema))
        pending.push(built)
        return (data: unknown) => built()(data)
      }
    },
  }
  return {
    // The wrappers keep the wrapped compilers' signatures; their declared types are narrower than needed here.
    compilersFactory: compilersFactory as unknown as CompilersFactory,
    async compileRemaining() {
      for (let next = pending.shift(); next; next = pending.shift()) {
        next()
        await yieldToRequests()
      }
    },
  }
}
