import { generateKeyPairSync } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  forgetUnlockedKey,
  rememberUnlockedKey,
  reuseUnlockedKey,
  UNLOCKED_KEY_TTL_MS,
} from '../../src/signatures/credentials/unlocked-keys.ts'

const key = () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey
const row = (id: string, sealedKey = 'sealed-v1') => ({ id, sealedKey })

describe('keys opened by a PIN, reused for a few minutes', () => {
  it('GIVEN a key opened with a PIN WHEN the same PIN asks again THEN the same key comes back; another PIN gets none', () => {
    const opened = key()
    rememberUnlockedKey(row('a'), '246810', opened, 1_000)
    expect(reuseUnlockedKey(row('a'), '246810', 2_000)).toBe(opened)
    expect(reuseUnlockedKey(row('a'), '246811', 2_000)).toBeUndefined()
    expect(reuseUnlockedKey(row('b'), '246810', 2_000)).toBeUndefined()
  })

  it('GIVEN a remembered key WHEN its sealed key changed (new PIN, new credential) THEN it is not reused, even with the old PIN', () => {
    rememberUnlockedKey(row('c', 'sealed-v1'), '246810', key(), 1_000)
    expect(reuseUnlockedKey(row('c', 'sealed-v2'), '246810', 2_000)).toBeUndefined()
    // Dropped for good: the old sealed key does not bring it back.
    expect(reuseUnlockedKey(row('c', 'sealed-v1'), '246810', 2_000)).toBeUndefined()
  })

  it('GIVEN a remembered key WHEN its lifetime has passed THEN it is not reused, however often it was used', () => {
    rememberUnlockedKey(row('d'), '246810', key(), 1_000)
    expect(reuseUnlockedKey(row('d'), '246810', 1_000 + UNLOCKED_KEY_TTL_MS - 1)).toBeDefined()
    expect(reuseUnlockedKey(row('d'), '246810', 1_000 + UNLOCKED_KEY_TTL_MS)).toBeUndefined()
  })

  it('GIVEN a remembered key WHEN it is forgotten THEN it is not reused', () => {
    rememberUnlockedKey(row('e'), '246810', key(), 1_000)
    forgetUnlockedKey('e')
    expect(reuseUnlockedKey(row('e'), '246810', 2_000)).toBeUndefined()
  })

  it('GIVEN more credentials than are kept WHEN each is unlocked THEN the oldest unlocks are dropped first', () => {
    for (let i = 0; i < 20; i++) rememberUnlockedKey(row(`f${i}`), '246810', key(), 1_000 + i)
    expect(reuseUnlockedKey(row('f0'), '246810', 2_000)).toBeUndefined()
    expect(reuseUnlockedKey(row('f19'), '246810', 2_000)).toBeDefined()
  })
})
