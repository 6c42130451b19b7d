/** A round opacity to draw: centre and radius in pixels of the generated image. */
export type Nodule = {
  x: number
  y: number
  radius: number /** added intensity, default 600 */
  contrast?: number
}

export type SyntheticChestOptions = {
  size?: number
  seed?: number
  nodules?: readonly Nodule[]
}

/** mulberry32: a tiny deterministic generator, so generated studies are the same everywhere. */
export function mulberry32(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

const smoothstep = (e0: number, e1: number, x: number) => {
  const t = Math.min(1, Math.max(0, (x - e0) / (e1 - e0)))
  return t * t * (3 - 2 * t)
}

/**
 * A chest-radiograph-like 12-bit image (MONOCHROME2: air dark, tissue bright): soft tissue, two
 * dark lung fields with soft edges, faint rib shadows, noise, and optional round opacities
 * ("nodules"). For tests and the demonstration model only — not anatomy.
 */
export function syntheticChest(options: SyntheticChestOptions = {}): Uint16Array {
  const size = options.size ?? 512
  const rand = mulberry32(options.seed ?? 1)
  const out = new Uint16Array(size * size)
  const s = size / 512
  const lungs = [
    { cx: 170 * s, cy: 260 * s, rx: 95 * s, ry: 170 * s },
    { cx: 342 * s, cy: 260 * s, rx: 95 * s, ry: 170 * s },
  ]
  const ribPhase = rand() * Math.PI
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let v = 2200 - 300 * ((y / size) * 0.5)
      let inLung = 0
      for (const l of lungs) {
        const d = Math.hypot((x - l.cx) / l.rx, (y - l.cy) / l.ry)
        inLung = Math.max(inLung, 1 - smoothstep(0.55, 1.2, d))
      }
      v -= 1300 * inLung
      // ribs: gently curved bands across the lung fields
      const rib = Math.sin(((y + 0.0006 * (x - size / 2) ** 2) / (34 * s)) * Math.PI + ribPhase)
      v += 140 * inLung * smoothstep(0.3, 0.9, rib)
      out[y * size + x] = v
    }
  }
  for (const n of options.nodules ?? []) {
    const contrast = n.contrast ?? 600
    const r = n.radius
    for (let y = Math.max(0, Math.floor(n.y - r - 4)); y < Math.min(size, n.y + r + 4); y++)
      for (let x = Math.max(0, Math.floor(n.x - r - 4)); x < Math.min(size, n.x + r + 4); x++) {
        const d = Math.hypot(x - n.x, y - n.y)
        out[y * size + x] = out[y * size + x]! + contrast * (1 - smoothstep(r - 2, r + 2, d))
      }
  }
  for (let i = 0; i < out.length; i++) {
    // noise: sum of uniforms ≈ normal, sd ≈ 35
    const noise = (rand() + rand() + rand() + rand() - 2) * 60
    out[i] = Math.max(0, Math.min(4095, Math.round(out[i]! + noise)))
  }
  return out
}
