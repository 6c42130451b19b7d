import { z } from 'zod'

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex sha256')
const dim = z.union([z.number().int().min(1), z.literal(-1)]) // -1: dynamic (batch)

export const windowSchema = z.discriminatedUnion('mode', [
  /** The file's own WindowCenter/WindowWidth (first value); min..max of the frame when absent. */
  z.strictObject({ mode: z.literal('dicom') }),
  /** A fixed window in rescaled units (e.g. HU for CT). */
  z.strictObject({ mode: z.literal('fixed'), center: z.number(), width: z.number().positive() }),
  /** The frame's own low..high percentiles of rescaled values. */
  z
    .strictObject({
      mode: z.literal('percentile'),
      low: z.number().min(0).max(100),
      high: z.number().min(0).max(100),
    })
    .refine((w) => w.low < w.high, { message: 'low must be below high', path: ['low'] }),
])

export const manifestSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, 'lowercase letters, digits, dots and dashes'),
    name: z.string().min(1),
    version: z.string().min(1),
    /** Plain statement of what the model is for, and what it is not for. */
    intendedUse: z.string().min(1),
    /** Path of the .onnx file, relative to the manifest. */
    model: z.string().min(1),
    sha256,
    /**
     * How far two runs' outputs may differ and still agree (|a − b| ≤ tolerance × (1 + |b|)): the
     * compute network compares a job's outputs from two nodes with it. 1e-4 when omitted.
     */
    tolerance: z.number().min(0).max(1).optional(),
    /** DICOM modalities the model applies to (0008,0060), e.g. ["CR", "DX"]. */
    modalities: z.array(z.string().regex(/^[A-Z]{2,4}$/)).min(1),
    /** Body parts (0018,0015) it applies to; any when omitted. */
    bodyParts: z.array(z.string().min(1)).optional(),
    input: z.strictObject({
      name: z.string().min(1),
      /** [N, C, H, W] for NCHW or [N, H, W, C] for NHWC; N may be -1 (dynamic). */
      shape: z.tuple([dim, dim, dim, dim]),
      layout: z.enum(['NCHW', 'NHWC']),
      dtype: z.literal('float32'),
    }),
    preprocessing: z.strictObject({
      /** Apply RescaleSlope / RescaleIntercept (default true). */
      rescale: z.boolean().default(true),
      window: windowSchema,
      /** Invert MONOCHROME1 so that higher is brighter (default true). */
      invertMonochrome1: z.boolean().default(true),
      interpolation: z.enum(['nearest', 'bilinear', 'area']),
      /** Per-channel mean and std applied to the [0, 1] windowed value: (v - mean) / std. */
      normalize: z.strictObject({
        mean: z.array(z.number()).min(1),
        std: z.array(z.number().positive()).min(1),
      }),
    }),
    outputs: z
      .array(
        z.strictObject({
          name: z.string().min(1),
          /**
           * `scores` [N, classes]; `heatmap` [N, 1, H, W] (a finding's location); `mask`
           * [N, segments, H, W] (per-pixel values: a pixel belongs to a segment when its activated
           * value is at or above `threshold`).
           */
          kind: z.enum(['scores', 'heatmap', 'mask']),
          /** `scores`: one label per class (last axis); `mask`: one label per channel. */
          labels: z.array(z.string().min(1)).optional(),
          activation: z.enum(['sigmoid', 'softmax', 'none']).default('none'),
          /** `mask`: the activated value at or above which a pixel is in the segment (default 0.5). */
          threshold: z.number().finite().optional(),
        }),
      )
      .min(1),
    findings: z
      .array(
        z.strictObject({
          label: z.string().min(1),
          /** A `scores` output and the label's index in it. */
          output: z.string().min(1),
          /** Probability at or above which the finding is reported present. */
          threshold: z.number().min(0).max(1),
          /** A `heatmap` output whose peak locates the finding (a box around its half-maximum). */
          locateWith: z.string().min(1).optional(),
          /**
           * A `mask` output whose channel of the same label outlines the finding pixel by pixel
           * (for DICOM SEG).
           */
          segmentWith: z.string().min(1).optional(),
          /**
           * The kind of thing the finding is (DICOM CID 7150 segmented property category), for SEG;
           * SNOMED CT 49755003 "Morphologically abnormal structure" when omitted.
           */
          category: z
            .strictObject({ system: z.string(), code: z.string(), display: z.string() })
            .optional(),
          /** SNOMED CT code of the finding, for DICOM SR / FHIR. */
          code: z
            .strictObject({ system: z.string(), code: z.string(), display: z.string() })
            .optional(),
        }),
      )
      .min(1),
  })
  .superRefine((m, ctx) => {
    const channels = m.input.layout === 'NCHW' ? m.input.shape[1] : m.input.shape[3]
    for (const key of ['mean', 'std'] as const)
      if (
        m.preprocessing.normalize[key].length !== 1 &&
        m.preprocessing.normalize[key].length !== channels
      )
        ctx.addIssue({
          code: 'custom',
          path: ['preprocessing', 'normalize', key],
          message: `needs 1 or ${channels} values`,
        })
    const outputs = new Map(m.outputs.map((o) => [o.name, o]))
    m.outputs.forEach((o, i) => {
      if (o.kind === 'mask' && !o.labels?.length)
        ctx.addIssue({
          code: 'custom',
          path: ['outputs', i, 'labels'],
          message: 'a mask output needs one label per channel',
        })
      if (o.kind !== 'mask' && o.threshold !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['outputs', i, 'threshold'],
          message: 'only a mask output has a threshold',
        })
    })
    /** A finding's reference to an output of a kind, which must list the finding's label. */
    const refers = (
      i: number,
      key: 'output' | 'segmentWith',
      name: string,
      kind: 'scores' | 'mask',
      label: string,
    ) => {
      const out = outputs.get(name)
      if (out?.kind !== kind)
        ctx.addIssue({
          code: 'custom',
          path: ['findings', i, key],
          message: `no ${kind} output "${name}"`,
        })
      else if (!out.labels?.includes(label))
        ctx.addIssue({
          code: 'custom',
          path: ['findings', i, key === 'output' ? 'label' : key],
          message: `"${label}" is not a label of ${name}`,
        })
    }
    m.findings.forEach((f, i) => {
      refers(i, 'output', f.output, 'scores', f.label)
      if (f.segmentWith) refers(i, 'segmentWith', f.segmentWith, 'mask', f.label)
      if (f.locateWith && outputs.get(f.locateWith)?.kind !== 'heatmap')
        ctx.addIssue({
          code: 'custom',
          path: ['findings', i, 'locateWith'],
          message: `no heatmap output "${f.locateWith}"`,
        })
    })
  })

export type ModelManifest = z.output<typeof manifestSchema>
export type ModelManifestInput = z.input<typeof manifestSchema>
