import { describe, expect, it } from 'vitest'
import { AGENCY_TIME_ZONE, agencyDateFormats, agencyYear } from '../../src/web/i18n/dates.ts'

describe('UI dates in the agency time zone', () => {
  it('GIVEN an instant late on 31 December UTC WHEN the UI formats it THEN it reads as 1 January in Vietnam (+07:00), in both languages', () => {
    const instant = new Date('2026-12-31T18:30:00Z')
    expect(agencyDateFormats('vi-VN').dateTime.format(instant)).toMatch(/^01:30,? 01\/01\/2027$|^01\/01\/2027,? 01:30$/)
    expect(agencyDateFormats('en-GB').dateTime.format(instant)).toBe('01/01/2027, 01:30')
    expect(agencyDateFormats('vi-VN').date.format(instant)).toBe('01/01/2027')
    expect(agencyYear(instant)).toBe(2027)
    expect(agencyYear(new Date('2026-12-31T16:59:59Z'))).toBe(2026)
  })

  it('GIVEN a date-only value (ngày ban hành) WHEN formatted THEN it is that day, not the day before or after', () => {
    expect(agencyDateFormats('vi-VN').date.format(new Date('2026-02-01'))).toBe('01/02/2026')
    expect(agencyDateFormats('en-GB').date.format(new Date('2026-12-31'))).toBe('31/12/2026')
  })

  it('GIVEN the formatters WHEN their options are read THEN every one carries the agency zone, so the browser zone never decides', () => {
    const { date, dateTime } = agencyDateFormats('vi-VN')
    // ICU may answer the zone's older canonical name.
    const zone = /^Asia\/(Ho_Chi_Minh|Saigon)$/
    expect(AGENCY_TIME_ZONE).toMatch(zone)
    expect(date.resolvedOptions().timeZone).toMatch(zone)
    expect(dateTime.resolvedOptions().timeZone).toMatch(zone)
    expect(dateTime.resolvedOptions().hourCycle).toBe('h23')
  })
})
