import { randomUUID } from 'node:crypto'
import { type EngineConfig, formatUnits, quoteCompute } from '@btt/core'
import type {
  Bundle,
  DiagnosticReport,
  Observation,
  Resource,
  ServiceRequest,
} from '@medplum/fhirtypes'

export type CdsCard = {
  uuid: string
  summary: string
  detail?: string
  indicator: 'info' | 'warning' | 'critical'
  source: { label: string; url?: string }
  links?: { label: string; url: string; type: 'absolute' | 'smart'; appContext?: string }[]
}

const source = { label: 'BTT AI' }
const entries = <T extends Resource>(bundle: Resource | undefined, type: string): T[] =>
  bundle?.resourceType === 'Bundle'
    ? ((bundle as Bundle).entry ?? [])
        .map((e) => e.resource)
        .filter((r): r is T => r?.resourceType === type)
    : bundle?.resourceType === type
      ? [bundle as T]
      : []

const probability = (o: Observation) =>
  o.component?.find((c) => c.code.coding?.[0]?.code === 'probability')?.valueQuantity?.value
const present = (o: Observation) => o.valueCodeableConcept?.coding?.[0]?.code === '52101004'
const summaryOf = (text: string) => (text.length > 140 ? `${text.slice(0, 139)}…` : text)

/** The findings card of `patient-view`: the latest AI DiagnosticReport and its present findings. */
export function findingsCard(
  prefetch: Record<string, Resource | undefined>,
  app: { url: string } | undefined,
): CdsCard | undefined {
  const reports = entries<DiagnosticReport>(prefetch.reports, 'DiagnosticReport').sort((a, b) =>
    (b.issued ?? '').localeCompare(a.issued ?? ''),
  )
  const latest = reports[0]
  if (!latest) return undefined
  const ids = new Set((latest.result ?? []).map((r) => r.reference))
  const observations = entries<Observation>(prefetch.observations, 'Observation').filter((o) =>
    ids.has(`Observation/${o.id}`),
  )
  const found = observations.filter(present)
  const lines = found.map(
    (o) =>
      `- **${o.code.text ?? o.code.coding?.[0]?.display ?? 'finding'}**: ${Math.round((probability(o) ?? 0) * 100)}%`,
  )
  return {
    uuid: randomUUID(),
    summary: summaryOf(
      found.length
        ? `AI findings: ${found.map((o) => o.code.text).join(', ')}`
        : 'AI analysis: no finding',
    ),
    detail: [latest.conclusion ?? '', ...lines].filter(Boolean).join('\n'),
    indicator: found.length ? 'warning' : 'info',
    source,
    ...(app
      ? {
          links: [
            {
              label: 'Open the BTT findings viewer',
              url: app.url,
              type: 'smart' as const,
              appContext: `DiagnosticReport/${latest.id}`,
            },
          ],
        }
      : {}),
  }
}

/** The incentive card of `patient-view`: the points balance of an enrolled, consenting patient. */
export function balanceCard(points: bigint): CdsCard {
  return {
    uuid: randomUUID(),
    summary: `Care incentive balance: ${points} points`,
    detail: 'Points for preventive visits, immunizations, completed care plans and healthy habits.',
    indicator: 'info',
    source,
  }
}

const IMAGING = /imaging|radiolog|\bCT\b|\bMRI?\b|x-?ray|radiograph|ultrasound|mammo/i
const isImaging = (s: ServiceRequest) =>
  (s.category ?? []).some((c) => c.coding?.some((k) => k.code === '363679005')) ||
  IMAGING.test([s.code?.text, ...(s.code?.coding ?? []).map((c) => c.display)].join(' '))

const urgencyOf = (priority: ServiceRequest['priority']) =>
  priority === 'stat' ? 'stat' : priority === 'urgent' || priority === 'asap' ? 'urgent' : 'routine'

/** The cards of `order-sign`: one per imaging order, with the AI analysis' quoted price. */
export function orderCards(
  draftOrders: unknown,
  pricing: EngineConfig['computePricing'],
  gpuSecondsPerStudy: number,
): CdsCard[] {
  const orders = entries<ServiceRequest>(draftOrders as Resource, 'ServiceRequest').filter(
    isImaging,
  )
  return orders.map((order) => {
    const quote = quoteCompute(pricing, {
      gpuSeconds: gpuSecondsPerStudy,
      urgency: urgencyOf(order.priority),
    })
    const price = `${formatUnits(quote.total, 2, { trim: false })} ${quote.currency}`
    return {
      uuid: randomUUID(),
      summary: summaryOf(
        `AI analysis available for ${order.code?.text ?? 'this imaging order'}: ${price}`,
      ),
      detail: quote.lines
        .map(
          (l) =>
            `- ${l.description}: ${formatUnits(l.amount, 2, { trim: false })} ${quote.currency}`,
        )
        .join('\n'),
      indicator: 'info' as const,
      source,
    }
  })
}
