import type { MessageKey, Translate } from '../../i18n/index.tsx'

const CHANNELS = ['internal', 'interchange', 'post', 'email', 'hand', 'none'] as const
const DELIVERY_STATES = [
  'planned',
  'delivered',
  'waiting-interchange',
  'pending',
  'sent',
  'failed',
  'recalled',
] as const
const REVIEW_STATES = ['waiting', 'pending', 'approved', 'returned', 'cancelled'] as const

const known = <T extends string>(list: readonly T[], value: string): value is T =>
  (list as readonly string[]).includes(value)

export const channelLabel = (t: Translate, channel: string) =>
  known(CHANNELS, channel) ? t(`outgoing.delivery.channel.${channel}` as MessageKey) : channel
export const deliveryLabel = (t: Translate, state: string) =>
  known(DELIVERY_STATES, state) ? t(`outgoing.delivery.state.${state}` as MessageKey) : state
export const reviewStateLabel = (t: Translate, state: string) =>
  known(REVIEW_STATES, state) ? t(`outgoing.review.state.${state}` as MessageKey) : state
export const reviewKindLabel = (t: Translate, kind: string) =>
  kind === 'format' ? t('outgoing.review.format') : t('outgoing.review.content')
export const copyFormLabel = (t: Translate, form: string) =>
  form === 'SY' || form === 'SL' || form === 'TrS' ? t(`outgoing.copy.form.${form}`) : form
