// The BTT SMART on FHIR app: EHR launch with PKCE (S256), then the patient's latest AI
// DiagnosticReport, its Observations and the overlay image. Plain browser JavaScript, no build.
const status = document.getElementById('status')
const say = (text, error = false) => {
  status.textContent = text
  status.className = error ? 'error' : ''
}
const b64url = (bytes) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')
const random = (n) => b64url(crypto.getRandomValues(new Uint8Array(n)))
const here = () => `${location.origin}${location.pathname}`

async function launch(iss, launchId, clientId) {
  const config = await (
    await fetch(`${iss.replace(/\/$/, '')}/.well-known/smart-configuration`)
  ).json()
  if (!config.authorization_endpoint || !config.token_endpoint)
    throw new Error('no SMART configuration')
  const verifier = random(48)
  const challenge = b64url(
    new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))),
  )
  const state = random(16)
  sessionStorage.setItem(
    'btt-smart',
    JSON.stringify({ verifier, state, iss, tokenEndpoint: config.token_endpoint, clientId }),
  )
  const url = new URL(config.authorization_endpoint)
  for (const [k, v] of Object.entries({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: here(),
    launch: launchId,
    scope: 'launch patient/DiagnosticReport.read patient/Observation.read',
    state,
    aud: iss,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }))
    url.searchParams.set(k, v)
  location.assign(url.toString())
}

async function complete(code, state) {
  const saved = JSON.parse(sessionStorage.getItem('btt-smart') ?? 'null')
  if (!saved || saved.state !== state) throw new Error('state mismatch')
  sessionStorage.removeItem('btt-smart')
  const form = new URLSearchParams({
    grant_type: 'authorization_code',
    code,
    redirect_uri: here(),
    client_id: saved.clientId,
    code_verifier: saved.verifier,
  })
  const token = await (await fetch(saved.tokenEndpoint, { method: 'POST', body: form })).json()
  if (!token.access_token || !token.patient) throw new Error('no token or patient')
  history.replaceState(null, '', here())
  await show(saved.iss.replace(/\/$/, ''), token.access_token, token.patient)
}

async function show(iss, accessToken, patient) {
  const get = async (path) => {
    const r = await fetch(`${iss}/${path}`, {
      headers: { authorization: `Bearer ${accessToken}`, accept: 'application/fhir+json' },
    })
    if (!r.ok) throw new Error(`FHIR ${r.status}`)
    return r.json()
  }
  const reports =
    (
      await get(
        `DiagnosticReport?subject=Patient/${encodeURIComponent(patient)}&_sort=-issued&_count=5`,
      )
    ).entry ?? []
  const report = reports
    .map((e) => e.resource)
    .sort((a, b) => (b.issued ?? '').localeCompare(a.issued ?? ''))[0]
  if (!report) return say('No AI report for this patient.')
  const ids = new Set((report.result ?? []).map((r) => r.reference))
  const observations = (
    (await get(`Observation?subject=Patient/${encodeURIComponent(patient)}&_count=200`)).entry ?? []
  )
    .map((e) => e.resource)
    .filter((o) => ids.has(`Observation/${o.id}`))
  render(report, observations)
}

function render(report, observations) {
  document.getElementById('conclusion').textContent = report.conclusion ?? ''
  const list = document.getElementById('findings')
  const boxes = []
  for (const o of observations) {
    const present = o.valueCodeableConcept?.coding?.[0]?.code === '52101004'
    const p =
      o.component?.find((c) => c.code?.coding?.[0]?.code === 'probability')?.valueQuantity?.value ??
      0
    const box = o.component?.find((c) => c.code?.coding?.[0]?.code === 'bounding-box')?.valueString
    const li = document.createElement('li')
    li.className = present ? 'present' : 'absent'
    li.dataset.label = o.code?.text ?? ''
    li.textContent = `${o.code?.text ?? 'finding'}: ${present ? 'present' : 'absent'} (${Math.round(p * 100)}%)`
    list.append(li)
    if (present && box) boxes.push({ label: o.code?.text ?? '', box: box.split(' ').map(Number) })
  }
  const form = (report.presentedForm ?? []).find(
    (f) => /^image\//.test(f.contentType ?? '') && f.data,
  )
  if (form) {
    const wrap = document.getElementById('overlay')
    const img = document.createElement('img')
    img.alt = form.title ?? 'overlay'
    img.onload = () => {
      const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg')
      // boxes are in source pixels; the image may be reduced by a whole factor
      const scale =
        (form.extension ?? []).find((e) => e.url.endsWith('/overlay-scale'))?.valueInteger ?? 1
      svg.setAttribute('viewBox', `0 0 ${img.naturalWidth * scale} ${img.naturalHeight * scale}`)
      svg.setAttribute('preserveAspectRatio', 'none')
      for (const { label, box } of boxes) {
        const r = document.createElementNS('http://www.w3.org/2000/svg', 'rect')
        const [x, y, w, h] = box
        const attributes = {
          x,
          y,
          width: w,
          height: h,
          fill: 'none',
          stroke: '#ff3b30',
          'stroke-width': 0.5,
        }
        for (const [k, v] of Object.entries(attributes)) r.setAttribute(k, String(v))
        r.dataset.label = label
        svg.append(r)
      }
      wrap.append(svg)
      document.body.dataset.ready = 'true'
    }
    img.src = `data:${form.contentType};base64,${form.data}`
    wrap.append(img)
  } else document.body.dataset.ready = 'true'
  document.getElementById('report').hidden = false
  say(`${observations.length} finding(s) from ${report.issued ?? 'the latest report'}`)
}

async function main() {
  const q = new URLSearchParams(location.search)
  const config = await (await fetch('config.json')).json()
  if (q.get('iss') && q.get('launch')) return launch(q.get('iss'), q.get('launch'), config.clientId)
  if (q.get('code')) return complete(q.get('code'), q.get('state'))
  say('Open this app from the EHR (EHR launch).', true)
}

main().catch((error) => {
  say(`Cannot show the findings: ${error.message}`, true)
  document.body.dataset.ready = 'error'
})
