import { describe, expect, it } from 'vitest'
import { ExtractionError } from '../../src/text/errors.ts'
import { inPageOrder } from '../../src/text/page-pipeline.ts'

const later = <T>(value: T, ms: number) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms))

describe('pages read ahead, delivered in order (page pipeline)', () => {
  it('GIVEN pages that finish out of order WHEN run with one page ahead THEN they are delivered in order, two at most in flight', async () => {
    let inFlight = 0
    let most = 0
    const delivered: number[] = []
    await inPageOrder(
      4,
      async (index) => {
        most = Math.max(most, ++inFlight)
        const value = await later(index, [30, 5, 20, 1][index]!)
        inFlight--
        return value
      },
      async (index, value) => {
        expect(value).toBe(index)
        delivered.push(index)
      },
      undefined,
    )
    expect(delivered).toEqual([0, 1, 2, 3])
    expect(most).toBe(2)
  })

  it('GIVEN a later page fails first WHEN run THEN earlier pages are delivered and the failure is thrown in page order', async () => {
    const delivered: number[] = []
    const run = inPageOrder(
      3,
      async (index) => {
        if (index === 1) throw new Error('page 2 broken')
        return later(index, 20)
      },
      async (index) => {
        delivered.push(index)
      },
      undefined,
    )
    await expect(run).rejects.toThrow('page 2 broken')
    expect(delivered).toEqual([0])
  })

  it('GIVEN the signal fires while page 1 is delivered WHEN run THEN it stops with aborted before page 2 is delivered', async () => {
    const controller = new AbortController()
    const delivered: number[] = []
    const run = inPageOrder(
      3,
      async (index) => index,
      async (index) => {
        delivered.push(index)
        controller.abort()
      },
      controller.signal,
    )
    await expect(run).rejects.toBeInstanceOf(ExtractionError)
    expect(delivered).toEqual([0])
  })
})
