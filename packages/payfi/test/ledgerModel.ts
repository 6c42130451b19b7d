import fc from 'fast-check'
import { expect } from 'vitest'
import type { Ledger, Leg, TransferInput, WriteResult } from '../src/index.js'
import type { LinkedInput, ReferenceLedger, RefResult } from './referenceLedger.js'

export type Real = { ledger: Ledger }
type Cmd = fc.AsyncCommand<ReferenceLedger, Real>

const accountIds = ['a0', 'a1', 'a2', 'a3', 'a4', 'x9']
const transferIds = ['t0', 't1', 't2', 't3', 't4', 't5', 't6', 't7']
/** Ids of linked writes: a pool of their own, so most linked writes are new, not replays. */
const linkedIds = Array.from({ length: 24 }, (_, i) => `L${i}`)
const pendingIds = [...transferIds, ...linkedIds.slice(0, 8)]
const amount = fc.oneof(
  fc.bigInt({ min: 1n, max: 1000n }),
  fc.bigInt({ min: 1n, max: 21_000_000n * 10n ** 18n }),
  fc.constant((1n << 127n) + 1n),
)
/** Accounts for legs: mostly the two CNY accounts every run starts with, so many writes commit. */
const legAccount = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('a0', 'a1') },
  { weight: 2, arbitrary: fc.constantFrom(...accountIds) },
)
const leg = fc.record({ debit: legAccount, credit: legAccount, amount })

function outcomeOf(r: WriteResult): RefResult {
  if (r.outcome === 'committed') return { ok: true, replayed: r.replayed }
  if (r.outcome === 'refused') return { ok: false, code: r.code }
  return { ok: false, code: 'UNKNOWN' }
}

/** After every step: same balances on every account, and debits = credits per currency. */
async function compare(model: ReferenceLedger, real: Real) {
  const sums = new Map<string, bigint[]>()
  for (const id of accountIds) {
    const m = model.accounts.get(id)
    const r = await real.ledger.getAccount(id)
    if (!m) {
      expect(r).toBeNull()
      continue
    }
    expect(r).not.toBeNull()
    expect([r!.debitsPending, r!.debitsPosted, r!.creditsPending, r!.creditsPosted]).toEqual([
      m.dp,
      m.dP,
      m.cp,
      m.cP,
    ])
    if (r!.flags.debitsMustNotExceedCredits)
      expect(r!.debitsPending + r!.debitsPosted <= r!.creditsPosted).toBe(true)
    if (r!.flags.creditsMustNotExceedDebits)
      expect(r!.creditsPending + r!.creditsPosted <= r!.debitsPosted).toBe(true)
    const s = sums.get(r!.currency) ?? [0n, 0n, 0n, 0n]
    sums.set(r!.currency, [
      s[0]! + r!.debitsPending,
      s[1]! + r!.debitsPosted,
      s[2]! + r!.creditsPending,
      s[3]! + r!.creditsPosted,
    ])
  }
  for (const [, [dp, dP, cp, cP]] of sums) {
    expect(dp).toBe(cp)
    expect(dP).toBe(cP)
  }
}

function cmd(
  name: string,
  run: (m: ReferenceLedger, r: Real) => Promise<[RefResult, RefResult]>,
): Cmd {
  return {
    check: () => true,
    async run(m, r) {
      const [expected, actual] = await run(m, r)
      expect(actual, name).toEqual(expected)
      await compare(m, r)
    },
    toString: () => name,
  }
}

const show = (v: unknown) => JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? `${x}n` : x))

/** The commands the model-based test draws from. */
/** Legs of linked writes: mostly between the two seeded accounts, so most parts can commit. */
const linkedLeg = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .tuple(fc.boolean(), fc.bigInt({ min: 1n, max: 1000n }))
      .map(([flip, amount]) =>
        flip ? { debit: 'a0', credit: 'a1', amount } : { debit: 'a1', credit: 'a0', amount },
      ),
  },
  { weight: 1, arbitrary: leg },
)

const linkedPart = (id: string) =>
  fc.oneof(
    {
      weight: 8,
      arbitrary: fc
        .record({
          legs: fc.array(linkedLeg, { minLength: 1, maxLength: 2 }),
          pending: fc.boolean(),
        })
        .map(({ legs, pending }): LinkedInput => ({ kind: 'entry', id, legs, pending })),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(...pendingIds)
        .map((pendingId): LinkedInput => ({ kind: 'post', id, pendingId })),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(...pendingIds)
        .map((pendingId): LinkedInput => ({ kind: 'void', id, pendingId })),
    },
  )

function toInput(x: LinkedInput): TransferInput {
  if (x.kind === 'entry') return { id: x.id, legs: x.legs, pending: x.pending }
  if (x.kind === 'post')
    return x.amounts
      ? { id: x.id, post: x.pendingId, amounts: x.amounts }
      : { id: x.id, post: x.pendingId }
  return { id: x.id, void: x.pendingId }
}

export const ledgerCommands = [
  fc
    .uniqueArray(fc.constantFrom(...linkedIds), { minLength: 2, maxLength: 3 })
    .chain((ids) => fc.tuple(...ids.map(linkedPart)))
    .map((parts) =>
      cmd(`linked ${show(parts)}`, async (m, r) => [
        m.linked(parts),
        outcomeOf(await r.ledger.write(parts.map(toInput))),
      ]),
    ),
  fc
    .record({
      id: fc.constantFrom(...accountIds),
      currency: fc.constantFrom('CNY', 'BTT'),
      flag: fc.constantFrom(0, 1, 2),
    })
    .map(({ id, currency, flag }) =>
      cmd(`account ${id} ${currency} ${flag}`, async (m, r) => {
        const flags = {
          debitsMustNotExceedCredits: flag === 1,
          creditsMustNotExceedDebits: flag === 2,
        }
        const expected = m.createAccount(id, currency, { dmnc: flag === 1, cmnd: flag === 2 })
        const actual = outcomeOf(
          await r.ledger.createAccounts([{ id, currency: currency as 'CNY', flags }]),
        )
        return [
          expected.ok ? { ok: true, replayed: false } : expected,
          actual.ok ? { ok: true, replayed: false } : actual,
        ]
      }),
    ),
  fc
    .record({
      id: fc.constantFrom(...transferIds),
      legs: fc.array(leg, { minLength: 1, maxLength: 3 }),
      pending: fc.boolean(),
    })
    .map(({ id, legs, pending }) =>
      cmd(`entry ${id} ${pending ? 'pending' : 'posted'} ${show(legs)}`, async (m, r) => [
        m.entry(id, legs as Leg[], pending),
        outcomeOf(await r.ledger.write({ id, legs, pending })),
      ]),
    ),
  fc
    .record({
      id: fc.constantFrom(...transferIds),
      pendingId: fc.constantFrom(...pendingIds),
      amounts: fc.option(
        fc.array(fc.bigInt({ min: 0n, max: 1200n }), { minLength: 1, maxLength: 3 }),
        { nil: undefined },
      ),
    })
    .map(({ id, pendingId, amounts }) =>
      cmd(`post ${id} of ${pendingId} ${show(amounts)}`, async (m, r) => [
        m.resolve(id, pendingId, 'post', amounts),
        outcomeOf(
          await r.ledger.write(
            amounts ? { id, post: pendingId, amounts } : { id, post: pendingId },
          ),
        ),
      ]),
    ),
  fc
    .record({ id: fc.constantFrom(...transferIds), pendingId: fc.constantFrom(...pendingIds) })
    .map(({ id, pendingId }) =>
      cmd(`void ${id} of ${pendingId}`, async (m, r) => [
        m.resolve(id, pendingId, 'void'),
        outcomeOf(await r.ledger.write({ id, void: pendingId })),
      ]),
    ),
]

/** What every run starts with, in the model and in the real ledger: two plain CNY accounts. */
export async function seedBoth(model: ReferenceLedger, real: Real) {
  for (const id of ['a0', 'a1']) model.createAccount(id, 'CNY', {})
  const r = await real.ledger.createAccounts([
    { id: 'a0', currency: 'CNY' },
    { id: 'a1', currency: 'CNY' },
  ])
  expect(r.outcome).toBe('committed')
}
