import { describe, expect, test } from 'vitest'
import { z } from 'zod'
import * as core from './index.js'

/**
 * Every exported function, called with hostile arguments (NaN, Infinity, fractions, strings for
 * numbers, numbers for bigints, null, wrong shapes, negatives), must throw a `CoreError` with the
 * expected, stable code — never a plain TypeError/RangeError and never a wrong answer. The list
 * of functions comes from `Object.keys(core)`, so a new export fails here until it is described.
 */

type Kind =
  /** A bigint amount that must be ≥ 0 (a negative one is CORE_NEGATIVE_AMOUNT). */
  | 'amount'
  /** Any bigint (negative allowed). */
  | 'bigint'
  /** A whole number ≥ 0. */
  | 'int'
  | 'string'
  /** An object argument; its fields (and the first element of an array) are mutated too. */
  | 'object'
  | 'array'
  /** An optional options object (undefined is fine). */
  | 'options'
  /** An optional array (undefined is fine). */
  | 'optionalArray'
  | 'function'
  /** An engine config or one of its sections (CORE_INVALID_CONFIG). */
  | 'config'
  /** Anything at all (the function is total). */
  | 'any'

type Row = { args: unknown[]; kinds: Kind[]; total?: boolean; code?: string }

const node = {
  id: 'a',
  region: 'cn-east',
  gpuUnits: 80,
  uptimePpm: 999_000,
  // fractions allowed here: a fractional valid value keeps 1.5 out of the hostile values
  latencyMs: 150.5,
  throughput: 60.5,
  gflopsPerWatt: 50.5,
}
const vesting = { total: 1000n, start: 0, duration: 100 }
const milestones = {
  total: 100n,
  start: 0,
  tranches: [
    { id: 'a', shareBps: 5000, notBefore: 10 },
    { id: 'b', shareBps: 5000, notBefore: 20 },
  ],
}
const emission = { total: 100n, start: 0, duration: 10, epochLength: 1, curve: 'linear' }
const c = core.defaultConfig
const ctx = { addIssue: () => {} }

const table: Record<string, Row> = {
  addVestingIssues: {
    args: [ctx, [{ path: [], message: 'm' }], ['x']],
    kinds: ['object', 'array', 'optionalArray'],
  },
  allocate: { args: [10n, [1n, 2n]], kinds: ['amount', 'array'] },
  allocationAmounts: { args: [c], kinds: ['config'] },
  checkCliff: { args: [{ cliff: 1, delay: 0, duration: 2 }], kinds: ['object'] },
  checkMilestones: {
    args: [[{ id: 'a', shareBps: 10_000, notBefore: 1 }], { end: 2 }],
    kinds: ['array', 'options'],
  },
  circulatingSupply: { args: [c, { at: c.token.genesis }], kinds: ['config', 'object'] },
  createIncentiveLedger: { args: [c, {}], kinds: ['config', 'options'] },
  defineConfig: { args: [{}], kinds: ['options'] },
  defineErrorCodes: { args: [{ X_Y: { kind: 'io', description: 'd' } }], kinds: ['object'] },
  dividendShares: { args: [[node], 100n, c], kinds: ['array', 'amount', 'config'] },
  emittedAmount: { args: [emission, { at: 5 }], kinds: ['object', 'object'] },
  epochEmission: { args: [emission, { epoch: 1 }], kinds: ['object', 'object'] },
  epochEmissions: { args: [emission], kinds: ['object'] },
  formatUnits: { args: [150n, 2, { trim: false }], kinds: ['bigint', 'int', 'options'] },
  liquidityManagementFee: {
    args: [{ dailyBalances: [100n, 100n], annualBps: 150 }, c],
    kinds: ['object', 'config'],
  },
  milestoneVestedAmount: {
    args: [milestones, { at: 15, attestations: { a: 12 } }],
    kinds: ['object', 'object'],
  },
  miningEmissionSchedule: { args: [c], kinds: ['config'] },
  mintingFee: {
    args: [1000n, { complexity: 'low', regulatory: 'standard' }, c],
    kinds: ['amount', 'object', 'config'],
  },
  nodeFactors: { args: [node, 1, c.dividend], kinds: ['object', 'int', 'config'] },
  parseConfig: { args: [core.defaultConfigInput], kinds: ['object'], code: 'CORE_INVALID_CONFIG' },
  parseUnits: { args: ['1.5', 2], kinds: ['string', 'int'] },
  parseWithCode: {
    args: [z.number(), 1, 'n', core.CoreError, 'CORE_INVALID_ARGUMENT'],
    kinds: ['object', 'any', 'string', 'function', 'string'],
  },
  payfiFee: { args: [1000n, { fx: true }, c], kinds: ['amount', 'options', 'config'] },
  premiumListingFee: { args: [1000n, { months: 2 }, c], kinds: ['amount', 'object', 'config'] },
  quoteCompute: { args: [c.computePricing, { gpuSeconds: 10.5 }], kinds: ['config', 'object'] },
  recordBurn: {
    args: [core.initialBurnState, { value: 10n }, c],
    kinds: ['object', 'object', 'config'],
  },
  releasable: { args: [vesting, { at: 50, released: 1n }], kinds: ['object', 'object'] },
  revaluationFee: {
    args: [1000n, { assetClass: 'standard' }, c],
    kinds: ['amount', 'object', 'config'],
  },
  secondaryTradeFee: { args: [1000n, c], kinds: ['amount', 'config'] },
  shareContributorRevenue: { args: [70n, [1n, 1n]], kinds: ['amount', 'array'] },
  splitRevenue: { args: [100n, c], kinds: ['amount', 'config'] },
  stakingBenefits: {
    args: [{ amount: 1n, lockedAt: 0, lockMonths: 1 }, { at: 0 }, c],
    kinds: ['object', 'object', 'config'],
  },
  subscriptionPrice: {
    args: [{ size: 'clinic-small', months: 1 }, c],
    kinds: ['object', 'config'],
  },
  tallyVotes: {
    args: [[{ voter: 'a', choice: 'for', weight: 1n }], { eligibleWeight: 10n }, c],
    kinds: ['array', 'object', 'config'],
  },
  toBttError: { args: [new Error('x')], kinds: ['any'], total: true },
  vestedAmount: { args: [vesting, { at: 50 }], kinds: ['object', 'object'] },
  zodIssues: { args: [new z.ZodError([])], kinds: ['object'] },
}

const ledger = () => core.createIncentiveLedger()
const extra: Record<string, { fn: (...args: unknown[]) => unknown; row: Row }> = {
  'ledger.award': {
    fn: (...args) => ledger().award(...(args as [never])),
    row: {
      args: [{ id: 'e', patientId: 'p', kind: 'preventive-visit', at: c.token.genesis }],
      kinds: ['object'],
    },
  },
  'ledger.pointsOf': {
    fn: (...args) => ledger().pointsOf(...(args as [never])),
    row: { args: ['p'], kinds: ['string'] },
  },
}

const sym = Symbol('s')
const fn = () => 1
const hostile: Record<Kind, unknown[]> = {
  amount: [1, 1.5, Number.NaN, '1', null, {}, [], true, sym, fn],
  bigint: [1, 1.5, Number.NaN, '1', null, {}, [], true, sym],
  int: [Number.NaN, Number.POSITIVE_INFINITY, -1, 1.5, '1', null, 1n, {}, true, sym],
  string: [1, Number.NaN, null, 1n, {}, [], true, sym],
  object: [null, 1, Number.NaN, '1', 1n, [], true, sym, fn],
  array: [null, 1, Number.NaN, '1', 1n, {}, true, sym],
  options: [null, 1, Number.NaN, '1', 1n, [], true, sym],
  optionalArray: [null, 1, Number.NaN, '1', 1n, {}, true],
  function: [null, 1, '1', {}, []],
  config: [null, 1, Number.NaN, 'x', 1n, [], true, {}, { revenueSplit: 1 }],
  any: [],
}

/** Hostile values for a field, judged by the valid value's type. */
function fieldHostile(valid: unknown): unknown[] {
  if (typeof valid === 'number')
    return [
      Number.NaN,
      Number.POSITIVE_INFINITY,
      -1,
      '1',
      null,
      1n,
      {},
      ...(Number.isInteger(valid) ? [1.5] : []),
    ]
  if (typeof valid === 'bigint') return [1, 1.5, Number.NaN, null, {}, -1n]
  if (typeof valid === 'string') return [1, null, 1n, {}, []]
  if (typeof valid === 'boolean') return ['true', 1, null]
  if (Array.isArray(valid)) return [null, 1, '1', {}]
  return []
}

/** Each case: a label, the arguments, and the code expected. */
function cases(row: Row): { label: string; args: unknown[]; code: string }[] {
  const out: { label: string; args: unknown[]; code: string }[] = []
  row.kinds.forEach((kind, i) => {
    const code = kind === 'config' ? 'CORE_INVALID_CONFIG' : (row.code ?? 'CORE_INVALID_ARGUMENT')
    const put = (value: unknown) => row.args.map((a, j) => (j === i ? value : a))
    for (const value of hostile[kind])
      out.push({ label: `arg ${i} = ${show(value)}`, args: put(value), code })
    if (kind === 'amount')
      out.push({ label: `arg ${i} = -1n`, args: put(-1n), code: 'CORE_NEGATIVE_AMOUNT' })
    if (kind !== 'object' && kind !== 'array') return
    const valid = row.args[i]
    const target = Array.isArray(valid) ? valid[0] : valid
    if (typeof target !== 'object' || target === null || target instanceof Error) return
    for (const [key, field] of Object.entries(target))
      for (const value of fieldHostile(field)) {
        const mutated = { ...target, [key]: value }
        out.push({
          label: `arg ${i}${Array.isArray(valid) ? '[0]' : ''}.${key} = ${show(value)}`,
          args: put(Array.isArray(valid) ? [mutated, ...valid.slice(1)] : mutated),
          code,
        })
      }
  })
  return out
}

function show(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`
  if (typeof value === 'number') return String(value)
  if (typeof value === 'symbol' || typeof value === 'function') return typeof value
  return JSON.stringify(value) ?? String(value)
}

function isClass(value: unknown): boolean {
  return typeof value === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(value))
}

const exported = Object.entries(core)
  .filter(([, value]) => typeof value === 'function' && !isClass(value))
  .map(([name]) => name)

test('every exported function is described in the table (and nothing else is)', () => {
  expect(exported.sort()).toEqual(Object.keys(table).sort())
})

const all = [
  ...Object.entries(table).map(([name, row]) => ({
    name,
    fn: (core as unknown as Record<string, (...args: unknown[]) => unknown>)[name]!,
    row,
  })),
  ...Object.entries(extra).map(([name, { fn, row }]) => ({ name, fn, row })),
]

describe.each(all)('$name', ({ fn, row }) => {
  test('answers the valid call', () => {
    expect(() => fn(...row.args)).not.toThrow()
  })

  if (row.total) {
    test('is total: any value gives a BttError back (CORE_UNKNOWN when foreign)', () => {
      for (const value of [null, undefined, 1, Number.NaN, '1', sym, {}, [], new RangeError('r')]) {
        const error = fn(value) as InstanceType<typeof core.BttError>
        expect(error).toBeInstanceOf(core.BttError)
        expect(error.code).toBe('CORE_UNKNOWN')
        expect(error.cause).toBe(value)
      }
    })
    return
  }

  test.each(cases(row))('$label → $code', ({ args, code }) => {
    let thrown: unknown
    try {
      fn(...args)
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(core.CoreError)
    expect((thrown as InstanceType<typeof core.CoreError>).code).toBe(code)
  })
})
