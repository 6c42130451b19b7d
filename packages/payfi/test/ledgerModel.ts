import fc from 'fast-check'
import { expect } from 'vitest'
import type { Ledger, Leg, WriteResult } from '../src/index.js'
import type { ReferenceLedger, RefResult } from './referenceLedger.js'

export type Real = { ledger: Ledger }
type Cmd = fc.AsyncCommand<ReferenceLedger, Real>

const accountIds = ['a0', 'a1', 'a2', 'a3', 'a4', 'x9']
const transferIds = ['t0', 't1', 't2', 't3', 't4', 't5', 't6', 't7']
const amount = fc.oneof(
  fc.bigInt({ min: 1n, max: 1000n }),
  fc.bigInt({ min: 1n, max: 21_000_000n * 10n ** 18n }),
  fc.constant((1n << 127n) + 1n),
)
const leg = fc.record({
  debit: fc.constantFrom(...accountIds),
  credit: fc.constantFrom(...accountIds),
  amount,
})

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
export const ledgerCommands = [
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
      pendingId: fc.constantFrom(...transferIds),
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
    .record({ id: fc.constantFrom(...transferIds), pendingId: fc.constantFrom(...transferIds) })
    .map(({ id, pendingId }) =>
      cmd(`void ${id} of ${pendingId}`, async (m, r) => [
        m.resolve(id, pendingId, 'void'),
        outcomeOf(await r.ledger.write({ id, void: pendingId })),
      ]),
    ),
]
