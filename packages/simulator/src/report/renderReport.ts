import { z } from 'zod'
import { parseArguments } from '../parseArguments.js'
import type { Quantiles, SimulationSummary, VariantSummary } from '../types.js'

/** Any number, NaN included: a month with no finished run has no quantile. */
const anyNumber = z.custom<number>((v) => typeof v === 'number', 'expected a number')
const quantiles = z.object({
  p5: z.array(anyNumber),
  p50: z.array(anyNumber),
  p95: z.array(anyNumber),
})
const chartSchema = z.looseObject({
  title: z.string(),
  series: z.array(z.looseObject({ label: z.string(), q: quantiles, color: z.string() })).min(1),
})
const summarySchema = z.looseObject({
  scenario: z.string(),
  variants: z.array(
    z.looseObject({
      index: z.number(),
      tiers: z.array(z.string()),
      months: z.record(z.string(), quantiles),
      claims: z.array(z.looseObject({ id: z.string() })),
    }),
  ),
  failedRuns: z.array(z.looseObject({ message: z.string() })),
})

const esc = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  )

const fmt = (x: number, kind: 'pct' | 'num' | 'cny' = 'num') => {
  if (!Number.isFinite(x)) return '–'
  if (kind === 'pct') return `${(x * 100).toFixed(Math.abs(x) < 0.1 ? 2 : 1)}%`
  const abs = Math.abs(x)
  const s =
    abs >= 1e9
      ? `${(x / 1e9).toFixed(2)}B`
      : abs >= 1e6
        ? `${(x / 1e6).toFixed(2)}M`
        : abs >= 1e3
          ? `${(x / 1e3).toFixed(1)}k`
          : x.toFixed(abs < 10 ? 2 : 0)
  return kind === 'cny' ? `¥${s}` : s
}

/** A payback month: `month 37`, or `never` at the cap (1200). */
const months = (x: number) =>
  !Number.isFinite(x) ? '–' : x >= 1200 ? 'never' : `month ${Math.round(x)}`

type ChartOptions = {
  title: string
  series: { label: string; q: Quantiles; color: string }[]
  kind?: 'pct' | 'num' | 'cny'
  /** A target band to shade, e.g. a claim's range. */
  band?: [number, number] | undefined
  bandMonths?: [number, number] | undefined
}

/** An SVG fan chart: p5–p95 band and p50 line per series, by month. Static, no script. */
export function fanChart(o: ChartOptions): string {
  parseArguments(chartSchema, o, 'chart')
  const W = 640
  const H = 260
  const L = 64
  const R = 16
  const T = 28
  const B = 32
  const n = o.series[0]?.q.p50.length ?? 0
  const values = o.series.flatMap((s) => [...s.q.p5, ...s.q.p95]).filter(Number.isFinite)
  if (o.band) values.push(...o.band)
  let lo = Math.min(0, ...values)
  let hi = Math.max(...values, lo + 1e-9)
  const pad = (hi - lo) * 0.05
  lo -= lo < 0 ? pad : 0
  hi += pad
  const x = (m: number) => L + ((W - L - R) * m) / Math.max(1, n - 1)
  const y = (v: number) => T + (H - T - B) * (1 - (v - lo) / (hi - lo))
  const path = (arr: number[]) =>
    arr.map((v, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join('')
  const parts: string[] = []
  parts.push(`<text x="${L}" y="18" class="title">${esc(o.title)}</text>`)
  for (let k = 0; k <= 4; k++) {
    const v = lo + ((hi - lo) * k) / 4
    parts.push(
      `<line x1="${L}" x2="${W - R}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" class="grid"/>`,
    )
    parts.push(
      `<text x="${L - 6}" y="${(y(v) + 4).toFixed(1)}" class="axis" text-anchor="end">${fmt(v, o.kind)}</text>`,
    )
  }
  for (let m = 0; m < n; m += Math.max(1, Math.ceil(n / 8 / 12) * 12)) {
    parts.push(
      `<text x="${x(m).toFixed(1)}" y="${H - 10}" class="axis" text-anchor="middle">m${m + 1}</text>`,
    )
  }
  if (o.band) {
    const [m0, m1] = o.bandMonths ?? [1, n]
    parts.push(
      `<rect x="${x(m0 - 1).toFixed(1)}" y="${y(o.band[1]).toFixed(1)}" width="${Math.max(2, x(m1 - 1) - x(m0 - 1)).toFixed(1)}" height="${Math.max(1, y(o.band[0]) - y(o.band[1])).toFixed(1)}" class="claim"><title>claimed range</title></rect>`,
    )
  }
  if (lo < 0 && hi > 0)
    parts.push(
      `<line x1="${L}" x2="${W - R}" y1="${y(0).toFixed(1)}" y2="${y(0).toFixed(1)}" class="zero"/>`,
    )
  o.series.forEach((s, i) => {
    const upper = s.q.p95
      .map((v, m) => `${m ? 'L' : 'M'}${x(m).toFixed(1)},${y(v).toFixed(1)}`)
      .join('')
    const lower = s.q.p5
      .map((v, m) => [m, v] as const)
      .reverse()
      .map(([m, v]) => `L${x(m).toFixed(1)},${y(v).toFixed(1)}`)
      .join('')
    parts.push(`<path d="${upper}${lower}Z" fill="${s.color}" fill-opacity="0.18" stroke="none"/>`)
    parts.push(`<path d="${path(s.q.p50)}" fill="none" stroke="${s.color}" stroke-width="2"/>`)
    parts.push(
      `<text x="${W - R - 4}" y="${T + 14 + i * 14}" class="legend" fill="${s.color}" text-anchor="end">${esc(s.label)} (p50, p5–p95)</text>`,
    )
  })
  return `<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(o.title)}">${parts.join('')}</svg>`
}

const COLORS = ['#2563eb', '#16a34a', '#dc2626', '#9333ea', '#ea580c', '#0891b2']

type ClaimsMeta = Map<string, { tier?: string; band?: [number, number]; months: [number, number] }>

function variantSection(v: VariantSummary, claims: ClaimsMeta): string {
  const label = Object.keys(v.parameters).length
    ? Object.entries(v.parameters)
        .map(([k, val]) => `${k} = ${val}`)
        .join(', ')
    : 'base scenario'
  return [
    `<h2>Variant ${v.index}: ${esc(label)}</h2>`,
    `<p>${v.runs} runs${v.failed ? `, <strong>${v.failed} failed</strong>` : ''}.</p>`,
    claimsTable(v, claims),
    roiCharts(v, claims),
    paybackTable(v),
    nodeSection(v),
    supplyCharts(v),
  ].join('\n')
}

function claimsTable(v: VariantSummary, claims: ClaimsMeta): string {
  const out = [
    '<h3>Claims</h3><table><tr><th>claim</th><th>holds in</th><th>break-even month (p50)</th><th>most sensitive to (Spearman ρ with the margin)</th></tr>',
  ]
  for (const c of v.claims) {
    const verdict =
      c.runs === 0 ? '' : c.probability >= 0.9 ? 'ok' : c.probability <= 0.1 ? 'bad' : 'mixed'
    const holds =
      c.runs === 0 ? 'no run finished' : `${(c.probability * 100).toFixed(0)}% of ${c.runs} runs`
    out.push(
      `<tr><td><b>${esc(c.id)}</b><br><small>${esc(c.description ?? '')}</small></td><td class="${verdict}">${holds}</td><td>${c.breakEvenMonth ?? (claims.get(c.id)?.tier ? 'not within the horizon' : '–')}</td><td>${c.sensitivity.map((s) => `${esc(s.parameter)} (${s.correlation.toFixed(2)})`).join('<br>') || '–'}</td></tr>`,
    )
  }
  out.push('</table>')
  return out.join('\n')
}

function roiCharts(v: VariantSummary, claims: ClaimsMeta): string {
  const out = ['<h3>Monthly ROI by tier</h3><div class="grid">']
  for (const tier of v.tiers) {
    const claim = [...claims.values()].find((c) => c.tier === tier && c.band)
    out.push(
      fanChart({
        title: `${tier}: monthly ROI on hardware`,
        series: [
          {
            label: tier,
            q: v.months[`monthlyRoi.${tier}`]!,
            color: COLORS[v.tiers.indexOf(tier) % COLORS.length]!,
          },
        ],
        kind: 'pct',
        band: claim?.band,
        bandMonths: claim?.months,
      }),
    )
  }
  out.push(
    fanChart({
      title: 'Cumulative ROI by tier',
      series: v.tiers.map((t, i) => ({
        label: t,
        q: v.months[`cumulativeRoi.${t}`]!,
        color: COLORS[i % COLORS.length]!,
      })),
      kind: 'pct',
    }),
  )
  out.push('</div>')
  return out.join('\n')
}

function paybackTable(v: VariantSummary): string {
  const rows = Object.entries(v.payback).map(
    ([tier, p]) =>
      `<tr><td>${esc(tier)}</td><td>${p.p50 ?? 'not within the horizon'}</td><td>${(p.withinHorizon * 100).toFixed(0)}%</td></tr>`,
  )
  return [
    '<table><tr><th>tier</th><th>payback month (p50)</th><th>runs that pay back within the horizon</th></tr>',
    ...rows,
    '</table>',
  ].join('\n')
}

/** Per-node engine: the spread of ROI between nodes, inequality of rewards, exits and payback. */
function nodeSection(v: VariantSummary): string {
  if (!v.nodes) return ''
  const groups = [...v.tiers, 'all']
  const spread = groups.map((g, i) =>
    fanChart({
      title: `${g}: per-node monthly ROI — p5, p50, p95 across nodes`,
      series: (['roiP5', 'roiP50', 'roiP95'] as const).map((c, k) => ({
        label: c.replace('roi', ''),
        q: v.months[`${c}.${g}`]!,
        color: COLORS[(i + k) % COLORS.length]!,
      })),
      kind: 'pct',
    }),
  )
  const byGroup = (title: string, column: string, kind?: 'pct') =>
    fanChart({
      title,
      series: groups.map((g, i) => ({
        label: g,
        q: v.months[`${column}.${g}`]!,
        color: COLORS[i % COLORS.length]!,
      })),
      ...(kind ? { kind } : {}),
    })
  const rows = Object.entries(v.nodes).map(
    ([g, f]) =>
      `<tr><td>${esc(g)}</td><td>${fmt(f.roiYear1.p5, 'pct')} / ${fmt(f.roiYear1.p50, 'pct')} / ${fmt(f.roiYear1.p95, 'pct')}</td><td>${fmt(f.roiHorizon.p5, 'pct')} / ${fmt(f.roiHorizon.p50, 'pct')} / ${fmt(f.roiHorizon.p95, 'pct')}</td><td>${fmt(f.giniMonth12)} → ${fmt(f.giniLast)}</td><td>${fmt(f.top10ShareMonth12, 'pct')} → ${fmt(f.top10ShareLast, 'pct')}</td><td>${fmt(f.leftForLosses)}</td><td>${fmt(f.paidBack, 'pct')}</td><td>${months(f.paybackMonths.p5)} / ${months(f.paybackMonths.p50)} / ${months(f.paybackMonths.p95)}</td></tr>`,
  )
  return [
    '<h3>Per node: who wins and who loses</h3>',
    '<p><small>Every node simulated on its own. Each chart line is a statistic across the nodes of one run (its band: p5–p95 of that statistic across runs).</small></p>',
    '<table><tr><th>nodes</th><th>monthly ROI, year 1: p5 / p50 / p95</th><th>over the horizon</th><th>Gini of rewards (month 12 → last)</th><th>top-10% share</th><th>left for losses</th><th>starting nodes paid back</th><th>payback month of starting nodes: p5 / p50 / p95 (projected where not yet; never = loses on average)</th></tr>',
    ...rows,
    '</table><div class="grid">',
    ...spread,
    byGroup('Gini coefficient of monthly rewards', 'gini'),
    byGroup('Share of monthly rewards taken by the top 10% of nodes', 'top10Share', 'pct'),
    byGroup('Nodes that left after losing money (cumulative)', 'leftForLosses'),
    byGroup('Starting nodes that have earned back their hardware', 'paidBack', 'pct'),
    byGroup('Payback month of the median starting node (projected; 1200 = never)', 'paybackP50'),
    '</div>',
  ].join('\n')
}

const SINGLE_CHARTS = [
  ['Circulating supply (tokens)', 'circulating', 'circulating'],
  ['Mining emission per month (tokens)', 'emission', 'emission'],
  ['Compute-market revenue per month (CNY)', 'revenue', 'revenue', 'cny'],
  ['Emissions-to-revenue ratio (emission value / revenue)', 'ratio', 'emissionsToRevenue'],
  ['Token price (CNY)', 'price', 'price', 'cny'],
  ['Contributor nodes', 'nodes', 'contributors'],
] as const

function supplyCharts(v: VariantSummary): string {
  const charts = SINGLE_CHARTS.map(([title, label, column, kind], i) =>
    fanChart({
      title,
      series: [{ label, q: v.months[column]!, color: COLORS[i % COLORS.length]! }],
      ...(kind ? { kind } : {}),
    }),
  )
  return ['<h3>Supply, emission and revenue</h3><div class="grid">', ...charts, '</div>'].join('\n')
}

/**
 * A self-contained HTML report of a simulation: claim verdicts, fan charts of ROI by tier,
 * supply, emission, revenue and price. Inline CSS and SVG only — no script, no network — so it
 * opens offline in any browser.
 */
export function renderReport(
  summary: SimulationSummary,
  claimsMeta: ClaimsMeta = new Map(),
): string {
  parseArguments(summarySchema, summary, 'simulation summary')
  parseArguments(z.instanceof(Map), claimsMeta, 'claims')
  const variants = summary.variants.map((v) => variantSection(v, claimsMeta)).join('\n')
  const failed = summary.failedRuns.length
    ? `<h2>Failed runs</h2><ul>${summary.failedRuns.map((f) => `<li>variant ${f.variant}, run ${f.run}, seed ${f.seed}: ${esc(f.message)}</li>`).join('')}</ul>`
    : ''
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>BTT simulation: ${esc(summary.scenario)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1340px;color:#111;padding:0 16px}
h1{font-size:22px}h2{margin-top:32px;border-bottom:1px solid #ddd}table{border-collapse:collapse;margin:12px 0}
td,th{border:1px solid #ddd;padding:4px 8px;vertical-align:top;text-align:left}th{background:#f5f5f5}
.ok{background:#dcfce7}.bad{background:#fee2e2}.mixed{background:#fef9c3}
.grid{display:flex;flex-wrap:wrap;gap:8px}svg{background:#fff;border:1px solid #eee}
.title{font-size:13px;font-weight:600}.axis{font-size:10px;fill:#555}.legend{font-size:11px}
.grid line.grid,line.grid{stroke:#eee}.zero{stroke:#999;stroke-dasharray:3 3}.claim{fill:#facc15;fill-opacity:.25;stroke:#ca8a04;stroke-dasharray:4 2}
small{color:#555}
</style></head><body>
<h1>BTT reward simulation — ${esc(summary.scenario)}</h1>
<p>${esc(summary.description ?? '')}</p>
<p>${summary.variants.length} variant(s) × ${summary.runsPerVariant} runs, seed ${summary.seed}, ${summary.horizonMonths} months in ${summary.epochDays}-day epochs; ${fmt(summary.nodeEpochs)} node-epochs in ${(summary.elapsedMs / 1000).toFixed(1)} s.</p>
${variants}
${failed}
<p><small>Generated by @btt/simulator. Bands are p5–p95 across runs, lines the median (online P² estimates).</small></p>
</body></html>
`
}
