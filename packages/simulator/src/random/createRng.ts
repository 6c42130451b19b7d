import { SimulatorError } from '../errors.js'
import { parseArguments } from '../parseArguments.js'
import { seedSchema } from '../scenario/schema.js'
/** A seeded pseudo-random generator: same seed, same sequence, on every machine. */
export type Rng = {
  /** Uniform in [0, 1). */
  next(): number
  /** Standard normal (Box–Muller). */
  normal(): number
  /** Poisson with mean `lambda` (Knuth below 30, normal approximation above). */
  poisson(lambda: number): number
}

/** splitmix32: spreads a seed (and a stream index) into well-mixed 32-bit words. */
export function mix32(a: number, b = 0): number {
  // hot (once per run and per task): a plain check rather than a schema
  if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b))
    throw new SimulatorError('SIM_INVALID_ARGUMENT', `mix32 takes integers, got ${a}, ${b}.`, {
      details: { a: String(a), b: String(b) },
    })
  let z = (a + Math.imul(b ^ 0x9e3779b9, 0x85ebca6b) + 0x9e3779b9) | 0
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
  return (z ^ (z >>> 16)) >>> 0
}

/**
 * sfc32 (Chris Doty-Humphrey's Small Fast Counting generator), seeded through splitmix32. Pure
 * 32-bit integer arithmetic, so the stream is identical on any JavaScript engine; `normal` uses
 * `Math.log`/`Math.cos`, which V8 computes with its own fdlibm port on every platform.
 */
export function createRng(seed: number): Rng {
  parseArguments(seedSchema, seed, 'seed')
  let a = mix32(seed, 1)
  let b = mix32(seed, 2)
  let c = mix32(seed, 3)
  let d = 1
  const next = () => {
    const t = (((a + b) | 0) + d) | 0
    d = (d + 1) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) | 0
    return (t >>> 0) / 4_294_967_296
  }
  for (let i = 0; i < 12; i++) next()
  let spare: number | undefined
  const normal = () => {
    if (spare !== undefined) {
      const s = spare
      spare = undefined
      return s
    }
    let u = next()
    while (u === 0) u = next()
    const v = next()
    const r = Math.sqrt(-2 * Math.log(u))
    spare = r * Math.sin(2 * Math.PI * v)
    return r * Math.cos(2 * Math.PI * v)
  }
  const poisson = (lambda: number) => {
    if (lambda <= 0) return 0
    if (lambda > 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * normal()))
    const limit = Math.exp(-lambda)
    let k = 0
    let p = next()
    while (p > limit) {
      k++
      p *= next()
    }
    return k
  }
  return { next, normal, poisson }
}
