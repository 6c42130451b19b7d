/** What the summary page shows; every value is already formatted text. */
export type SummaryPage = {
  title: string
  steps: {
    n: number
    title: string
    status: 'done' | 'pending' | 'simulated'
    lines: string[]
    files: string[]
  }[]
  overlay?: {
    png: Uint8Array
    scale: number
    box: { x: number; y: number; width: number; height: number }
    caption: string
  }
  money: { from: string; to: string; amount: string; minor: bigint; note: string }[]
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/** The money flow as an inline SVG bar chart (no script, no external request). */
function moneySvg(rows: SummaryPage['money']): string {
  let max = 1n
  for (const r of rows) if (r.minor > max) max = r.minor
  const h = 26
  const bars = rows
    .map((r, i) => {
      const w = Math.max(2, Number((r.minor * 400n) / max))
      return `<g transform="translate(0,${i * h})"><text x="0" y="17" font-size="12">${esc(r.to)}</text><rect x="230" y="4" width="${w}" height="16" fill="#3a7bd5"/><text x="${236 + w}" y="17" font-size="12">${esc(r.amount)}</text></g>`
    })
    .join('')
  return `<svg xmlns="http://www.w3.org/2000/svg" width="820" height="${rows.length * h + 4}" role="img" aria-label="money flow">${bars}</svg>`
}

function overlayFigure(o: NonNullable<SummaryPage['overlay']>): string {
  const src = `data:image/png;base64,${Buffer.from(o.png).toString('base64')}`
  const b = o.box
  const s = o.scale
  return `<figure><svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="512" viewBox="0 0 ${Math.ceil(512 / s)} ${Math.ceil(512 / s)}" role="img" aria-label="overlay">
<image href="${src}" x="0" y="0" width="${Math.ceil(512 / s)}" height="${Math.ceil(512 / s)}"/>
<rect id="finding" x="${b.x / s}" y="${b.y / s}" width="${b.width / s}" height="${b.height / s}" fill="none" stroke="#ff3b30" stroke-width="2"/>
</svg><figcaption>${esc(o.caption)}</figcaption></figure>`
}

/** A self-contained HTML page: inline CSS, the overlay as a data URL, the money flow as SVG. */
export function renderSummary(page: SummaryPage): string {
  const steps = page.steps
    .map(
      (
        s,
      ) => `<section class="step ${s.status}" id="step-${s.n}"><h2>${s.n}. ${esc(s.title)} <span class="badge">${s.status.toUpperCase()}</span></h2>
<ul>${s.lines.map((l) => `<li>${esc(l)}</li>`).join('')}</ul>
${s.files.length ? `<p class="files">${s.files.map((f) => `<code>${esc(f)}</code>`).join(' ')}</p>` : ''}</section>`,
    )
    .join('\n')
  const table = page.money
    .map(
      (m) =>
        `<tr><td>${esc(m.from)}</td><td>${esc(m.to)}</td><td class="n">${esc(m.amount)}</td><td>${esc(m.note)}</td></tr>`,
    )
    .join('')
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(page.title)}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<link rel="icon" href="data:,">
<style>
body{font:14px/1.45 system-ui,sans-serif;max-width:980px;margin:2em auto;padding:0 1em;color:#222}
h1{font-size:1.5em}h2{font-size:1.1em;margin:.2em 0}
.step{border-left:4px solid #3a7bd5;padding:.3em .8em;margin:.8em 0;background:#f7f9fc}
.step.pending{border-color:#e0a800;background:#fff8e1}.step.simulated{border-color:#8e44ad}
.badge{font-size:.7em;padding:.1em .4em;border-radius:3px;background:#ddd;vertical-align:middle}
code{background:#eee;padding:0 .3em;margin-right:.4em}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em}.n{text-align:right}
</style></head><body>
<h1>${esc(page.title)}</h1>
${page.overlay ? overlayFigure(page.overlay) : '<p>No finding, so no overlay.</p>'}
${steps}
<section id="money"><h2>Money flow</h2>
<table><thead><tr><th>From</th><th>To</th><th>Amount</th><th>What</th></tr></thead><tbody>${table}</tbody></table>
${moneySvg(page.money.filter((m) => m.amount.endsWith(' CNY')))}</section>
</body></html>
`
}
