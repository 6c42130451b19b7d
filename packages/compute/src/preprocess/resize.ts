let rowScratch = new Float32Array(0)

/**
 * Resizes a rows×cols float plane into height×width: `nearest` and `bilinear` at pixel centres,
 * `area` as an exact box filter (k×k block means for integer factors).
 */
export function resize(
  src: Float32Array,
  rows: number,
  cols: number,
  out: Float32Array,
  height: number,
  width: number,
  how: 'nearest' | 'bilinear' | 'area',
): void {
  if (rows === height && cols === width) out.set(src.subarray(0, rows * cols))
  else if (how === 'nearest') resizeNearest(src, rows, cols, out, height, width)
  else if (how === 'bilinear') resizeBilinear(src, rows, cols, out, height, width)
  else if (Number.isInteger(cols / width) && Number.isInteger(rows / height))
    resizeAreaInteger(src, rows, cols, out, height, width)
  else resizeArea(src, rows, cols, out, height, width)
}

function resizeNearest(
  src: Float32Array,
  rows: number,
  cols: number,
  out: Float32Array,
  height: number,
  width: number,
) {
  for (let y = 0; y < height; y++) {
    const sy = Math.min(rows - 1, Math.floor(((y + 0.5) * rows) / height)) * cols
    for (let x = 0; x < width; x++)
      out[y * width + x] = src[sy + Math.min(cols - 1, Math.floor(((x + 0.5) * cols) / width))]!
  }
}

function resizeBilinear(
  src: Float32Array,
  rows: number,
  cols: number,
  out: Float32Array,
  height: number,
  width: number,
) {
  const fx = cols / width
  const fy = rows / height
  for (let y = 0; y < height; y++) {
    const sy = Math.max(0, Math.min(rows - 1, (y + 0.5) * fy - 0.5))
    const y0 = Math.floor(sy)
    const r0 = y0 * cols
    const r1 = Math.min(rows - 1, y0 + 1) * cols
    const wy = sy - y0
    for (let x = 0; x < width; x++) {
      const sx = Math.max(0, Math.min(cols - 1, (x + 0.5) * fx - 0.5))
      const x0 = Math.floor(sx)
      const x1 = Math.min(cols - 1, x0 + 1)
      const wx = sx - x0
      const top = src[r0 + x0]! * (1 - wx) + src[r0 + x1]! * wx
      const bottom = src[r1 + x0]! * (1 - wx) + src[r1 + x1]! * wx
      out[y * width + x] = top * (1 - wy) + bottom * wy
    }
  }
}

function resizeAreaInteger(
  src: Float32Array,
  rows: number,
  cols: number,
  out: Float32Array,
  height: number,
  width: number,
) {
  const kx = cols / width
  const ky = rows / height
  const inv = 1 / (kx * ky)
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      let sum = 0
      for (let dy = 0; dy < ky; dy++) {
        const row = (y * ky + dy) * cols + x * kx
        for (let dx = 0; dx < kx; dx++) sum += src[row + dx]!
      }
      out[y * width + x] = sum * inv
    }
}

/** General area: exact box filter, separable, through a reused row buffer. */
function resizeArea(
  src: Float32Array,
  rows: number,
  cols: number,
  out: Float32Array,
  height: number,
  width: number,
) {
  if (rowScratch.length < rows * width) rowScratch = new Float32Array(rows * width)
  const tmp = rowScratch
  tmp.fill(0, 0, rows * width)
  out.fill(0, 0, height * width)
  boxWeights(cols, width, (o, s, weight) => {
    for (let r = 0; r < rows; r++) tmp[r * width + o]! += weight * src[r * cols + s]!
  })
  boxWeights(rows, height, (o, s, weight) => {
    for (let x = 0; x < width; x++) out[o * width + x]! += weight * tmp[s * width + x]!
  })
}

/** Calls `add(out, source, weight)` for the box filter that maps `n` samples onto `m`. */
function boxWeights(
  n: number,
  m: number,
  add: (out: number, source: number, weight: number) => void,
) {
  const ratio = n / m
  for (let o = 0; o < m; o++) {
    const start = o * ratio
    const end = start + ratio
    for (let s = Math.floor(start); s < Math.min(n, Math.ceil(end)); s++) {
      const overlap = Math.min(end, s + 1) - Math.max(start, s)
      if (overlap > 0) add(o, s, overlap / ratio)
    }
  }
}
