/**
 * Every page of the signed-in app: its path, menu label, who may open it and what it renders. The
 * navigation, the access check and the router all read this one table — add a page here.
 */
import type { ReactNode } from 'react'
import type { Role } from './api.ts'
import type { MessageKey } from './i18n/index.tsx'
import { AgencyPage } from './pages/admin/AgencyPage.tsx'
import { DepartmentsPage } from './pages/admin/DepartmentsPage.tsx'
import { PositionsPage } from './pages/admin/PositionsPage.tsx'
import { UsersPage } from './pages/admin/UsersPage.tsx'
import { HomePage } from './pages/HomePage.tsx'
import { DocumentListPage } from './pages/documents/DocumentListPage.tsx'
import { DocumentPage } from './pages/documents/DocumentPage.tsx'
import { FollowUpPage } from './pages/followup/FollowUpPage.tsx'
import { RegisterIncomingPage } from './pages/documents/RegisterIncomingPage.tsx'
import { NotificationsPage } from './pages/notifications/NotificationsPage.tsx'
import { OutgoingQueuePage } from './pages/outgoing/OutgoingQueuePage.tsx'
import { RecordFilePage } from './pages/records/RecordFilePage.tsx'
import { RecordsPage } from './pages/records/RecordsPage.tsx'
import { ProfilePage } from './pages/profile/ProfilePage.tsx'
import { SearchPage } from './pages/search/SearchPage.tsx'
import { AwaitingSignaturePage } from './pages/signing/AwaitingSignaturePage.tsx'
import { SigningAdminPage } from './pages/signing/SigningAdminPage.tsx'

export type NavGroup = 'work' | 'personal' | 'admin'

export interface AppRoute {
  path: string
  labelKey: MessageKey
  /** `nav-…`: the menu link's data-testid. */
  testId: string
  /** Who sees the menu entry and may open the page; 'everyone' = any signed-in user. */
  roles: readonly Role[] | 'everyone'
  /** Where the entry sits in the menu; undefined = not in the menu. */
  group?: NavGroup
  /** A count shown beside the menu label. */
  badge?: 'awaiting-signature'
  render: (context: PageContext) => ReactNode
}

/** What the shell hands to every page. */
export interface PageContext {
  menu: Menu
  /** Values of the `:name` segments of the route's path. */
  params: Record<string, string>
}

export type Menu = Record<NavGroup, AppRoute[]>

/** In menu order: a leader with several roles sees the entries of all of them, once each. */
export const ROUTES: readonly AppRoute[] = [
  {
    path: '/',
    labelKey: 'nav.home',
    testId: 'nav-home',
    roles: 'everyone',
    render: ({ menu }) => <HomePage menu={menu} />,
  },
  {
    path: '/awaiting-direction',
    labelKey: 'nav.awaitingDirection',
    testId: 'nav-awaiting-direction',
    roles: ['leader'],
    group: 'work',
    render: () => (
      <DocumentListPage titleKey="nav.awaitingDirection" query={{ awaiting: 'me' }} testId="page-awaiting" />
    ),
  },
  {
    path: '/awaiting-signature',
    labelKey: 'nav.awaitingSignature',
    testId: 'nav-awaiting-signature',
    roles: ['leader'],
    group: 'work',
    badge: 'awaiting-signature',
    render: () => <AwaitingSignaturePage />,
  },
  {
    path: '/incoming',
    labelKey: 'nav.incoming',
    testId: 'nav-incoming',
    roles: ['clerk', 'leader'],
    group: 'work',
    render: () => (
      <DocumentListPage titleKey="nav.incoming" query={{ direction: 'incoming' }} testId="page-incoming" />
    ),
  },
  {
    path: '/outgoing',
    labelKey: 'nav.outgoing',
    testId: 'nav-outgoing',
    roles: ['clerk', 'leader'],
    group: 'work',
    render: () => (
      <DocumentListPage titleKey="nav.outgoing" query={{ direction: 'outgoing' }} testId="page-outgoing" />
    ),
  },
  {
    path: '/incoming/new',
    labelKey: 'nav.register',
    testId: 'nav-register',
    roles: ['clerk'],
    group: 'work',
    render: () => <RegisterIncomingPage />,
  },
  {
    path: '/assigned',
    labelKey: 'nav.assigned',
    testId: 'nav-assigned',
    roles: ['officer'],
    group: 'work',
    render: () => (
      <DocumentListPage titleKey="nav.assigned" query={{ awaiting: 'me' }} testId="page-assigned" />
    ),
  },
  {
    path: '/drafts',
    labelKey: 'nav.drafts',
    testId: 'nav-drafts',
    roles: ['officer'],
    group: 'work',
    render: () => <OutgoingQueuePage view="mine" titleKey="nav.drafts" testId="page-drafts" />,
  },
  {
    path: '/outgoing/to-review',
    labelKey: 'nav.toReview',
    testId: 'nav-to-review',
    roles: ['leader', 'clerk'],
    group: 'work',
    render: () => <OutgoingQueuePage view="to-review" titleKey="nav.toReview" testId="page-to-review" />,
  },
  {
    path: '/outgoing/awaiting-number',
    labelKey: 'nav.awaitingNumber',
    testId: 'nav-awaiting-number',
    roles: ['clerk'],
    group: 'work',
    render: () => (
      <OutgoingQueuePage view="awaiting-number" titleKey="nav.awaitingNumber" testId="page-awaiting-number" />
    ),
  },
  {
    path: '/outgoing/awaiting-issue',
    labelKey: 'nav.awaitingIssue',
    testId: 'nav-awaiting-issue',
    roles: ['clerk'],
    group: 'work',
    render: () => (
      <OutgoingQueuePage view="awaiting-issue" titleKey="nav.awaitingIssue" testId="page-awaiting-issue" />
    ),
  },
  {
    path: '/outgoing/received',
    labelKey: 'nav.outgoingReceived',
    testId: 'nav-outgoing-received',
    roles: ['officer', 'leader'],
    group: 'work',
    render: () => (
      <OutgoingQueuePage view="received" titleKey="nav.outgoingReceived" testId="page-outgoing-received" />
    ),
  },
  {
    path: '/records',
    labelKey: 'nav.records',
    testId: 'nav-records',
    roles: ['archivist', 'clerk', 'officer', 'leader', 'admin'],
    group: 'work',
    render: () => <RecordsPage />,
  },
  {
    path: '/records/files/:id',
    labelKey: 'records.file.title',
    testId: 'nav-record-file',
    roles: ['archivist', 'clerk', 'officer', 'leader', 'admin'],
    render: ({ params }) => <RecordFilePage fileId={params.id ?? ''} />,
  },
  {
    path: '/search',
    labelKey: 'nav.search',
    testId: 'nav-search',
    roles: 'everyone',
    group: 'work',
    render: () => <SearchPage />,
  },
  {
    path: '/followup',
    labelKey: 'nav.followup',
    testId: 'nav-followup',
    roles: 'everyone',
    group: 'work',
    render: () => <FollowUpPage />,
  },
  {
    path: '/notifications',
    labelKey: 'notifications.title',
    testId: 'nav-notifications',
    roles: 'everyone',
    render: () => <NotificationsPage />,
  },
  {
    path: '/documents/:id',
    labelKey: 'document.title',
    testId: 'nav-document',
    roles: 'everyone',
    render: ({ params }) => <DocumentPage key={params.id} documentId={params.id ?? ''} />,
  },
  {
    path: '/profile',
    labelKey: 'nav.profile',
    testId: 'nav-profile',
    roles: 'everyone',
    group: 'personal',
    render: () => <ProfilePage />,
  },
  {
    path: '/admin/agency',
    labelKey: 'nav.admin.agency',
    testId: 'nav-admin-agency',
    roles: ['admin'],
    group: 'admin',
    render: () => <AgencyPage />,
  },
  {
    path: '/admin/signing',
    labelKey: 'nav.admin.signing',
    testId: 'nav-admin-signing',
    roles: ['admin'],
    group: 'admin',
    render: () => <SigningAdminPage />,
  },
  {
    path: '/admin/departments',
    labelKey: 'nav.admin.departments',
    testId: 'nav-admin-departments',
    roles: ['admin'],
    group: 'admin',
    render: () => <DepartmentsPage />,
  },
  {
    path: '/admin/positions',
    labelKey: 'nav.admin.positions',
    testId: 'nav-admin-positions',
    roles: ['admin'],
    group: 'admin',
    render: () => <PositionsPage />,
  },
  {
    path: '/admin/users',
    labelKey: 'nav.admin.users',
    testId: 'nav-admin-users',
    roles: ['admin'],
    group: 'admin',
    render: () => <UsersPage />,
  },
]

/** The route for a path and the values of its `:name` segments. */
export function findRoute(path: string): { route: AppRoute; params: Record<string, string> } | undefined {
  const parts = path.split('/')
  for (const route of ROUTES) {
    const pattern = route.path.split('/')
    if (pattern.length !== parts.length) continue
    const params: Record<string, string> = {}
    const matches = pattern.every((segment, i) => {
      const part = parts[i] ?? ''
      if (!segment.startsWith(':')) return segment === part
      if (!part) return false
      try {
        params[segment.slice(1)] = decodeURIComponent(part)
      } catch {
        return false
      }
      return true
    })
    if (matches) return { route, params }
  }
  return undefined
}

export function canOpen(route: AppRoute, roles: readonly Role[]): boolean {
  return route.roles === 'everyone' || route.roles.some((role) => roles.includes(role))
}

/** The menu entries a user sees, by group, in table order. */
export function menuFor(roles: readonly Role[]): Menu {
  const menu: Menu = { work: [], personal: [], admin: [] }
  for (const route of ROUTES) if (route.group && canOpen(route, roles)) menu[route.group].push(route)
  return menu
}
