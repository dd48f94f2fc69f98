import { type DirectoryDepartment, type DirectoryPerson, directoryApi } from '../../api.ts'

export interface Directory {
  departments: DirectoryDepartment[]
  people: DirectoryPerson[]
  departmentName: (id: string | null | undefined) => string | undefined
  personName: (id: string | null | undefined) => string | undefined
}

/** Loads the directory; an older server without it yields null and the forms fall back to id inputs. */
export async function loadDirectory(signal: AbortSignal): Promise<Directory | null> {
  try {
    const [departments, people] = await Promise.all([
      directoryApi.departments(signal),
      directoryApi.people(signal),
    ])
    const departmentNames = new Map(departments.items.map((d) => [d.id, d.name]))
    const personNames = new Map(people.items.map((p) => [p.id, p.fullName]))
    return {
      departments: departments.items,
      people: people.items,
      departmentName: (id) => (id ? departmentNames.get(id) : undefined),
      personName: (id) => (id ? personNames.get(id) : undefined),
    }
  } catch (error) {
    if (signal.aborted) throw error
    return null
  }
}
