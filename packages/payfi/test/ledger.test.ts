import { describe, expect, test } from 'vitest'
import {
  MAX_AMOUNT,
  PayfiError,
  type PayfiStore,
  resolveOutcome,
  type WriteResult,
} from '../src/index.js'
import { backends } from './backends.js'

const SUPPLY = 21_000_000n * 10n ** 18n
const ok = (r: WriteResult) => {
  if (r.outcome !== 'committed')
    throw new Error(
      `expected committed, got ${JSON.stringify(r.outcome === 'refused' ? r.code : r.outcome)}`,
    )
  return r
}
const code = (r: WriteResult) => (r.outcome === 'refused' ? r.code : r.outcome)

async function seed(l: PayfiStore) {
  ok(
    await l.createAccounts([
      { id: 'world', currency: 'CNY' },
      { id: 'clinic', currency: 'CNY', flags: { debitsMustNotExceedCredits: true } },
      { id: 'fees', currency: 'CNY', flags: { debitsMustNotExceedCredits: true } },
      { id: 'mint', currency: 'BTT' },
      { id: 'holder', currency: 'BTT', flags: { debitsMustNotExceedCredits: true } },
      { id: 'cap', currency: 'BTT', flags: { creditsMustNotExceedDebits: true } },
    ]),
  )
}

describe.each(backends())('$name ledger', ({ open }) => {
  test('a multi-leg entry (gross → fee + net) commits atomically and balances', async () => {
    const l = await open()
    await seed(l)
    ok(
      await l.write({
        id: 'p1',
        legs: [
          { debit: 'world', credit: 'clinic', amount: 9920n },
          { debit: 'world', credit: 'fees', amount: 80n },
        ],
      }),
    )
    expect((await l.getAccount('world'))!.debitsPosted).toBe(10_000n)
    expect((await l.getAccount('clinic'))!.creditsPosted).toBe(9920n)
    expect((await l.getAccount('fees'))!.creditsPosted).toBe(80n)
    // a second leg that fails refuses the whole entry: nothing of the first leg stays
    const r = await l.write({
      id: 'p2',
      legs: [
        { debit: 'world', credit: 'clinic', amount: 1n },
        { debit: 'fees', credit: 'world', amount: 81n },
      ],
    })
    expect(code(r)).toBe('PAYFI_EXCEEDS_CREDITS')
    expect((await l.getAccount('clinic'))!.creditsPosted).toBe(9920n)
    expect(await l.lookupTransfer('p2')).toBeNull()
  })

  test('the same id with the same content answers the first result; other content is PAYFI_ID_CONFLICT', async () => {
    const l = await open()
    await seed(l)
    const first = ok(
      await l.write({ id: 'x', legs: [{ debit: 'world', credit: 'clinic', amount: 5n }] }),
    )
    const again = ok(
      await l.write({ id: 'x', legs: [{ debit: 'world', credit: 'clinic', amount: 5n }] }),
    )
    expect(again.replayed).toBe(true)
    expect(again.transfers[0]!.seq).toBe(first.transfers[0]!.seq)
    expect(
      code(await l.write({ id: 'x', legs: [{ debit: 'world', credit: 'clinic', amount: 6n }] })),
    ).toBe('PAYFI_ID_CONFLICT')
    expect((await l.getAccount('clinic'))!.creditsPosted).toBe(5n)
    // two uses of one id inside one batch: one transfer
    const both = await Promise.all(
      [1, 2, 3].map(() =>
        l.write({ id: 'y', legs: [{ debit: 'world', credit: 'clinic', amount: 7n }] }),
      ),
    )
    expect(both.map((r) => ok(r).replayed).sort()).toEqual([false, true, true])
    expect((await l.getAccount('clinic'))!.creditsPosted).toBe(12n)
  })

  test('two-phase: pending, partial post exactly once, void releases, no second resolution', async () => {
    const l = await open()
    await seed(l)
    ok(
      await l.write({
        id: 'h',
        pending: true,
        legs: [
          { debit: 'world', credit: 'clinic', amount: 100n },
          { debit: 'world', credit: 'fees', amount: 1n },
        ],
      }),
    )
    expect((await l.getAccount('clinic'))!.creditsPending).toBe(100n)
    expect(code(await l.write({ id: 'h-post', post: 'h', amounts: [101n, 1n] }))).toBe(
      'PAYFI_POST_EXCEEDS_PENDING',
    )
    ok(await l.write({ id: 'h-post', post: 'h', amounts: [60n, 1n] }))
    expect(code(await l.write({ id: 'h-void', void: 'h' }))).toBe('PAYFI_PENDING_ALREADY_RESOLVED')
    const clinic = (await l.getAccount('clinic'))!
    expect([clinic.creditsPending, clinic.creditsPosted]).toEqual([0n, 60n])
    ok(
      await l.write({
        id: 'g',
        pending: true,
        legs: [{ debit: 'world', credit: 'clinic', amount: 5n }],
      }),
    )
    ok(await l.write({ id: 'g-void', void: 'g' }))
    expect(code(await l.write({ id: 'g-post', post: 'g' }))).toBe('PAYFI_PENDING_ALREADY_RESOLVED')
    expect(code(await l.write({ id: 'z', post: 'h-post' }))).toBe('PAYFI_NOT_PENDING')
    expect(code(await l.write({ id: 'z', post: 'nope' }))).toBe('PAYFI_TRANSFER_NOT_FOUND')
    expect((await l.getAccount('clinic'))!.creditsPosted).toBe(60n)
  })

  test('flags refuse negative balances; currencies never mix; a leg needs two accounts', async () => {
    const l = await open()
    await seed(l)
    expect(
      code(await l.write({ id: 'a', legs: [{ debit: 'clinic', credit: 'world', amount: 1n }] })),
    ).toBe('PAYFI_EXCEEDS_CREDITS')
    expect(
      code(await l.write({ id: 'b', legs: [{ debit: 'world', credit: 'holder', amount: 1n }] })),
    ).toBe('PAYFI_CURRENCY_MISMATCH')
    expect(
      code(await l.write({ id: 'c', legs: [{ debit: 'world', credit: 'world', amount: 1n }] })),
    ).toBe('PAYFI_SAME_ACCOUNT')
    expect(
      code(await l.write({ id: 'd', legs: [{ debit: 'mint', credit: 'cap', amount: 1n }] })),
    ).toBe('PAYFI_EXCEEDS_DEBITS')
    expect(
      code(await l.write({ id: 'e', legs: [{ debit: 'ghost', credit: 'world', amount: 1n }] })),
    ).toBe('PAYFI_ACCOUNT_NOT_FOUND')
    expect(code(await l.createAccounts([{ id: 'clinic', currency: 'USD' }]))).toBe(
      'PAYFI_ID_CONFLICT',
    )
  })

  test('21M BTT × 10^18 and 2^128 - 1 are stored and read back exactly; beyond is refused', async () => {
    const l = await open()
    await seed(l)
    ok(await l.write({ id: 's', legs: [{ debit: 'mint', credit: 'holder', amount: SUPPLY }] }))
    expect((await l.getAccount('holder'))!.creditsPosted).toBe(SUPPLY)
    ok(
      await l.write({
        id: 'm',
        legs: [
          { debit: 'cap', credit: 'mint', amount: 1n },
          { debit: 'mint', credit: 'cap', amount: 1n },
        ],
      }),
    )
    ok(await l.write({ id: 'big', legs: [{ debit: 'world', credit: 'fees', amount: MAX_AMOUNT }] }))
    expect((await l.getAccount('fees'))!.creditsPosted).toBe(MAX_AMOUNT)
    expect(
      code(
        await l.write({
          id: 'over',
          legs: [
            { debit: 'clinic', credit: 'fees', amount: 1n },
            { debit: 'world', credit: 'clinic', amount: 1n },
          ],
        }),
      ),
    ).toBe('PAYFI_EXCEEDS_CREDITS')
    expect(
      code(
        await l.write({
          id: 'over2',
          legs: [
            { debit: 'world', credit: 'clinic', amount: 1n },
            { debit: 'clinic', credit: 'fees', amount: 1n },
          ],
        }),
      ),
    ).toBe('PAYFI_AMOUNT_OVERFLOW')
    await expect(
      l.write({ id: 'huge', legs: [{ debit: 'world', credit: 'fees', amount: MAX_AMOUNT + 1n }] }),
    ).rejects.toMatchObject({ code: 'PAYFI_INVALID_ARGUMENT' })
  })

  test('inputs are checked at run time: zero, negative, numbers, unknown keys, free-text metadata', async () => {
    const l = await open()
    await seed(l)
    for (const amount of [0n, -1n, 1.5, '10'] as unknown as bigint[])
      await expect(
        l.write({ id: 'q', legs: [{ debit: 'world', credit: 'clinic', amount }] }),
      ).rejects.toBeInstanceOf(PayfiError)
    await expect(l.write({ id: 'q', legs: [], pending: false })).rejects.toMatchObject({
      code: 'PAYFI_INVALID_ARGUMENT',
    })
    await expect(
      l.write({
        id: 'q',
        legs: [{ debit: 'world', credit: 'clinic', amount: 1n }],
        metadata: { note: 'Jane Doe' },
      } as never),
    ).rejects.toMatchObject({ code: 'PAYFI_METADATA_REFUSED' })
    await expect(
      l.write({
        id: 'q',
        legs: [{ debit: 'world', credit: 'clinic', amount: 1n }],
        metadata: { order_id: 'Jane Doe' },
      }),
    ).rejects.toMatchObject({ code: 'PAYFI_METADATA_REFUSED' })
    await expect(l.createAccounts([{ id: 'n', currency: 'EUR' as 'CNY' }])).rejects.toMatchObject({
      code: 'PAYFI_INVALID_ARGUMENT',
    })
  })

  test('balance as of any time comes from the journal; queries by account, time and metadata', async () => {
    let clock = 1_000
    const l = await open(() => clock)
    await seed(l)
    ok(
      await l.write({
        id: 'a',
        legs: [{ debit: 'world', credit: 'clinic', amount: 10n }],
        metadata: { order_id: 'o-1' },
      }),
    )
    clock = 2_000
    ok(
      await l.write({
        id: 'b',
        legs: [{ debit: 'world', credit: 'clinic', amount: 20n }],
        metadata: { order_id: 'o-2' },
      }),
    )
    clock = 3_000
    ok(
      await l.write({
        id: 'c',
        pending: true,
        legs: [{ debit: 'world', credit: 'fees', amount: 5n }],
      }),
    )
    expect((await l.balanceAt('clinic', 1_500)).creditsPosted).toBe(10n)
    expect((await l.balanceAt('clinic', 2_000)).creditsPosted).toBe(30n)
    expect((await l.balanceAt('clinic', 999)).creditsPosted).toBe(0n)
    expect((await l.balanceAt('fees', 3_000)).creditsPending).toBe(5n)
    expect((await l.queryTransfers({ accountId: 'clinic' })).map((t) => t.id)).toEqual(['a', 'b'])
    expect((await l.queryTransfers({ from: 2_000, to: 3_001 })).map((t) => t.id)).toEqual([
      'b',
      'c',
    ])
    expect((await l.queryTransfers({ metadata: { order_id: 'o-2' } })).map((t) => t.id)).toEqual([
      'b',
    ])
    expect(await l.queryTransfers({ accountId: 'holder' })).toEqual([])
  })

  test('an unknown outcome is resolved by looking the ids up', async () => {
    const l = await open()
    await seed(l)
    ok(await l.write({ id: 'k', legs: [{ debit: 'world', credit: 'clinic', amount: 1n }] }))
    expect((await resolveOutcome(l, ['k'])).outcome).toBe('committed')
    expect((await resolveOutcome(l, ['never'])).outcome).toBe('absent')
  })
})
