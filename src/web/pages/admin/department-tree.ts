import type { Department } from '../../api.ts'

export interface DepartmentNode {
  department: Department
  depth: number
  parentName: string | null
}

/**
 * Depth-first order of the department tree, siblings sorted by Vietnamese name. A department whose
 * parent is missing is shown at the top level, and a cycle (which the server should refuse) cannot
 * loop forever: every department appears exactly once.
 */
export function departmentTree(items: readonly Department[]): DepartmentNode[] {
  const byId = new Map(items.map((d) => [d.id, d]))
  const children = new Map<string | null, Department[]>()
  for (const d of items) {
    const parent = d.parentId && byId.has(d.parentId) ? d.parentId : null
    const siblings = children.get(parent) ?? []
    siblings.push(d)
    children.set(parent, siblings)
  }
  for (const siblings of children.values()) siblings.sort((a, b) => a.name.localeCompare(b.name, 'vi'))

  const result: DepartmentNode[] = []
  const seen = new Set<string>()
  const visit = (d: Department, depth: number) => {
    if (seen.has(d.id)) return
    seen.add(d.id)
    result.push({
      department: d,
      depth,
      parentName: d.parentId ? (byId.get(d.parentId)?.name ?? null) : null,
    })
    for (const child of children.get(d.id) ?? []) visit(child, depth + 1)
  }
  for (const root of children.get(null) ?? []) visit(root, 0)
  for (const d of items) visit(d, 0) // members of a cycle have no root above them
  return result
}

/** The department and everything below it: none of these can become its parent. */
export function subtreeIds(items: readonly Department[], rootId: string): Set<string> {
  const ids = new Set([rootId])
  let grew = true
  while (grew) {
    grew = false
    for (const d of items) {
      if (d.parentId && ids.has(d.parentId) && !ids.has(d.id)) {
        ids.add(d.id)
        grew = true
      }
    }
  }
  return ids
}

/** Option text indented by depth (em spaces survive in <option>, CSS padding does not). */
export function indentedName(node: DepartmentNode): string {
  return `${'\u2003'.repeat(node.depth)}${node.department.name}`
}

/** Depth as a CSS class (no inline styles under the CSP); deeper levels share the last class. */
export function depthClass(depth: number): string {
  return `depth-${Math.min(depth, 6)}`
}
