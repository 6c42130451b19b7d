import { z } from 'zod'
import { parseArguments } from '../parseArguments.js'
/**
 * Online quantile estimate with the P² algorithm (Jain & Chlamtac, 1985): five markers, O(1)
 * memory and time per observation, no samples kept. Exact for the first five observations.
 */
export class P2Quantile {
  readonly p: number
  #count = 0
  readonly #q = new Float64Array(5) // marker heights
  readonly #n = new Float64Array(5) // marker positions (1-based)
  readonly #np = new Float64Array(5) // desired positions
  readonly #dn: Float64Array

  constructor(p: number) {
    parseArguments(z.number().gt(0).lt(1), p, 'quantile')
    this.p = p
    this.#dn = Float64Array.from([0, p / 2, p, (1 + p) / 2, 1])
  }

  add(x: number): void {
    const q = this.#q
    const n = this.#n
    if (this.#count < 5) {
      q[this.#count++] = x
      if (this.#count === 5) {
        q.sort()
        for (let i = 0; i < 5; i++) n[i] = i + 1
        const p = this.p
        this.#np.set([1, 1 + 2 * p, 1 + 4 * p, 3 + 2 * p, 5])
      }
      return
    }
    this.#count++
    let k: number
    if (x < q[0]!) {
      q[0] = x
      k = 0
    } else if (x >= q[4]!) {
      q[4] = x
      k = 3
    } else {
      k = 0
      while (x >= q[k + 1]!) k++
    }
    for (let i = k + 1; i < 5; i++) n[i]! += 1
    for (let i = 0; i < 5; i++) this.#np[i]! += this.#dn[i]!
    for (let i = 1; i < 4; i++) {
      const d = this.#np[i]! - n[i]!
      if ((d >= 1 && n[i + 1]! - n[i]! > 1) || (d <= -1 && n[i - 1]! - n[i]! < -1)) {
        const s = Math.sign(d)
        const parabolic =
          q[i]! +
          (s / (n[i + 1]! - n[i - 1]!)) *
            ((n[i]! - n[i - 1]! + s) * ((q[i + 1]! - q[i]!) / (n[i + 1]! - n[i]!)) +
              (n[i + 1]! - n[i]! - s) * ((q[i]! - q[i - 1]!) / (n[i]! - n[i - 1]!)))
        if (q[i - 1]! < parabolic && parabolic < q[i + 1]!) q[i] = parabolic
        else q[i] = q[i]! + (s * (q[i + s]! - q[i]!)) / (n[i + s]! - n[i]!)
        n[i]! += s
      }
    }
  }

  /** The current estimate (NaN before any observation). */
  value(): number {
    if (this.#count === 0) return Number.NaN
    if (this.#count <= 5) {
      const sorted = Array.from(this.#q.subarray(0, this.#count)).sort((a, b) => a - b)
      const pos = this.p * (sorted.length - 1)
      const lo = Math.floor(pos)
      const hi = Math.ceil(pos)
      return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo)
    }
    return this.#q[2]!
  }
}

/** p5 / p50 / p95 and the mean of one series, per index, updated run by run. */
export class SeriesQuantiles {
  readonly #length: number
  readonly #p5: P2Quantile[]
  readonly #p50: P2Quantile[]
  readonly #p95: P2Quantile[]
  readonly #sum: Float64Array
  #runs = 0

  constructor(length: number) {
    parseArguments(z.number().int().min(0).max(1_000_000), length, 'series length')
    this.#length = length
    this.#p5 = Array.from({ length }, () => new P2Quantile(0.05))
    this.#p50 = Array.from({ length }, () => new P2Quantile(0.5))
    this.#p95 = Array.from({ length }, () => new P2Quantile(0.95))
    this.#sum = new Float64Array(length)
  }

  add(series: ArrayLike<number>): void {
    for (let i = 0; i < this.#length; i++) {
      const x = series[i]!
      this.#p5[i]!.add(x)
      this.#p50[i]!.add(x)
      this.#p95[i]!.add(x)
      this.#sum[i]! += x
    }
    this.#runs++
  }

  toJSON(): { p5: number[]; p50: number[]; p95: number[]; mean: number[] } {
    return {
      p5: this.#p5.map((q) => q.value()),
      p50: this.#p50.map((q) => q.value()),
      p95: this.#p95.map((q) => q.value()),
      mean: Array.from(this.#sum, (s) => s / this.#runs),
    }
  }
}
