/**
 * The fictional agency of `npm run seed:demo` — its name, units and people — in one place, so the demo
 * seed, the test PKI (whose certificates name these people) and the README say the same names.
 */
import type { Role } from '../../src/platform/db/schema/index.ts'

export const DEMO_AGENCY = {
  name: 'Ủy ban nhân dân tỉnh Hòa Giang',
  abbreviation: 'UBND',
  organId: '000.00.00.H99',
} as const

export type DemoUnit = 'office' | 'economy' | 'general' | 'internal'

export const DEMO_UNITS: Record<DemoUnit, { name: string; abbreviation: string }> = {
  office: { name: 'Văn phòng', abbreviation: 'VP' },
  economy: { name: 'Phòng Kinh tế', abbreviation: 'KT' },
  general: { name: 'Phòng Tổng hợp', abbreviation: 'TH' },
  internal: { name: 'Phòng Nội chính', abbreviation: 'NC' },
}

export interface DemoPerson {
  username: string
  fullName: string
  roles: Role[]
  unit: DemoUnit
  position: string
  /** Highest secrecy level: 0 none … 3 Tuyệt mật. */
  clearance: number
}

/** One person per role a visitor signs in as, and colleagues so that units have people to assign. */
export const DEMO_PEOPLE = {
  clerk: { username: 'vanthu', fullName: 'Nguyễn Thị Thu Hà', roles: ['clerk'], unit: 'office', position: 'Văn thư', clearance: 1 },
  leader: { username: 'lanhdao', fullName: 'Nguyễn Văn An', roles: ['leader'], unit: 'office', position: 'Chủ tịch', clearance: 3 },
  officer: { username: 'chuyenvien', fullName: 'Lê Thị Hồng Nhung', roles: ['officer'], unit: 'economy', position: 'Chuyên viên', clearance: 1 },
  archivist: { username: 'luutru', fullName: 'Phạm Văn Đức', roles: ['archivist'], unit: 'office', position: 'Lưu trữ viên', clearance: 0 },
  economyHead: { username: 'truongphongkt', fullName: 'Trần Văn Minh', roles: ['leader'], unit: 'economy', position: 'Trưởng phòng', clearance: 1 },
  economyOfficer: { username: 'chuyenvien2', fullName: 'Đỗ Minh Tuấn', roles: ['officer'], unit: 'economy', position: 'Chuyên viên', clearance: 0 },
  generalOfficer: { username: 'chuyenvienth', fullName: 'Hoàng Thị Lan', roles: ['officer'], unit: 'general', position: 'Chuyên viên', clearance: 0 },
  internalOfficer: { username: 'chuyenviennc', fullName: 'Vũ Đức Thắng', roles: ['officer'], unit: 'internal', position: 'Chuyên viên', clearance: 0 },
} as const satisfies Record<string, DemoPerson>

export type DemoPersonKey = keyof typeof DEMO_PEOPLE
