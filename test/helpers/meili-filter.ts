/**
 * A tiny evaluator of the Meilisearch filter grammar the access policy emits, for tests that compare the
 * filter with the SQL policy: AND (binding tighter) / OR, parentheses, = != > >= < <= on strings and
 * numbers (= on an array: any element), IS [NOT] NULL.
 */
export type Row = Record<string, unknown>
export function evaluate(filter: string, row: Row): boolean {
  const tokens = filter.match(/"(?:[^"\\]|\\.)*"|\(|\)|>=|<=|!=|=|>|<|[A-Za-z_][\w.]*|-?\d+(?:\.\d+)?/g) ?? []
  let at = 0
  const peek = () => tokens[at]
  const take = (expected?: string) => {
    const token = tokens[at++]
    if (token === undefined || (expected !== undefined && token !== expected)) {
      throw new Error(`filter: expected ${expected ?? 'a token'} at ${at} in ${filter}`)
    }
    return token
  }
  const literal = (token: string): unknown =>
    token.startsWith('"')
      ? JSON.parse(token)
      : token === 'true'
        ? true
        : token === 'false'
          ? false
          : Number(token)
  const compare = (value: unknown, op: string, wanted: unknown): boolean => {
    if (Array.isArray(value)) return op === '=' && value.some((v) => v === wanted)
    if (value === null || value === undefined) return false
    switch (op) {
      case '=':
        return value === wanted
      case '!=':
        return value !== wanted
      case '>':
        return (value as number) > (wanted as number)
      case '>=':
        return (value as number) >= (wanted as number)
      case '<':
        return (value as number) < (wanted as number)
      case '<=':
        return (value as number) <= (wanted as number)
    }
    throw new Error(`filter: unknown operator ${op}`)
  }
  const primary = (): boolean => {
    if (peek() === '(') {
      take('(')
      const value = or()
      take(')')
      return value
    }
    const attribute = take()
    const op = take()
    if (op === 'IS') {
      const negated = peek() === 'NOT'
      if (negated) take('NOT')
      take('NULL')
      return (row[attribute] === null) !== negated
    }
    return compare(row[attribute], op, literal(take()))
  }
  const and = (): boolean => {
    let value = primary()
    while (peek() === 'AND') {
      take('AND')
      value = primary() && value
    }
    return value
  }
  const or = (): boolean => {
    let value = and()
    while (peek() === 'OR') {
      take('OR')
      value = and() || value
    }
    return value
  }
  const result = or()
  if (at !== tokens.length) throw new Error(`filter: trailing tokens in ${filter}`)
  return result
}

