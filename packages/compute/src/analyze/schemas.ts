import { z } from 'zod'

const count = z.number().int().min(1)

/** An [N, C, H, W] output's channel, checked against its data's length. */
export const outputChannelSchema = z
  .object({
    data: z.instanceof(Float32Array),
    dims: z.array(count).length(4),
    index: z.number().int().min(0),
    channel: z.number().int().min(0),
    activation: z.enum(['sigmoid', 'softmax', 'none']),
  })
  .refine((o) => o.index < o.dims[0]! && o.channel < o.dims[1]!, {
    message: 'index and channel must be inside dims',
  })
  .refine((o) => o.data.length >= o.dims.reduce((a, b) => a * b, 1), {
    message: 'data is shorter than dims',
  })

/** A source image's size. */
export const sizeSchema = z.object({ rows: count, columns: count })
