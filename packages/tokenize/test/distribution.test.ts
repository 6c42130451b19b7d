// A distribution over more holders than one batch: paid in batches under one id, checked as a
// whole with the last; a run cut short resumes with the same id, paying no one twice.
import { allocate, ONE_TOKEN } from '@btt/core'
import { useAnvil } from '@btt/testing'
import { getAddress, hexlify, randomBytes, Wallet } from 'ethers'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { contract } from '../src/chain.js'
import {
  distributeIncome,
  holdingsAt,
  mintTokens,
  registerAsset,
  shareIncome,
  tokenizeAsset,
  verifyInvestor,
} from '../src/index.js'
import { advance, type Fixture, fixture } from './fixture.js'

const anvil = useAnvil()
let f: Fixture
let token: string
const wallets = Array.from({ length: 7 }, () => Wallet.createRandom().address)

beforeAll(async () => {
  f = await fixture(anvil())
  const expiresAt = Date.now() + 365 * 86_400_000
  await verifyInvestor(f.agent, {
    investor: f.clinic.address,
    country: 156,
    accredited: true,
    expiresAt,
  })
  await registerAsset(f.agent, {
    id: 'clinic-building',
    type: 'property',
    owner: f.clinic.address,
    currency: 'CNY',
    tier: { complexity: 'medium', regulatory: 'standard', assetClass: 'standard' },
    valuation: { value: 50_000_000_00n, date: Date.now() - 1000, method: 'income', appraiser: 'a' },
  })
  token = (
    await tokenizeAsset(f.agent, {
      assetId: 'clinic-building',
      supply: 1_000n * ONE_TOKEN,
      name: 'B',
      symbol: 'B',
    })
  ).token
  for (const [i, w] of wallets.entries()) {
    await verifyInvestor(f.agent, { investor: w, country: 156, accredited: true, expiresAt })
    await mintTokens(f.agent, { token, wallet: w, amount: BigInt(i + 1) * 3n * ONE_TOKEN + 1n })
  }
  await advance(f.agent.chain, 1)
}, 120_000)
afterAll(() => f?.close())

const cash = (a: string) =>
  contract(f.agent.chain, 'SettlementToken', f.deployment.currency).getFunction('balanceOf')(
    a,
  ) as Promise<bigint>

test('eight holders in batches of three: every holder paid exactly, once', async () => {
  const recordBlock = (await f.agent.chain.provider.getBlockNumber()) - 1
  const { holdings } = await holdingsAt(f.agent, { token, recordBlock })
  const total = 777_777n * ONE_TOKEN + 5n
  const expected = shareIncome(total, holdings)
  const before = await Promise.all(expected.map((s) => cash(s.holder)))
  const paid = await distributeIncome(f.agent, { token, recordBlock, total, batchSize: 3 })
  expect(paid.hashes).toHaveLength(3)
  const after = await Promise.all(expected.map((s) => cash(s.holder)))
  const received = expected.map(
    (s, i) => after[i]! - before[i]! + (getAddress(s.holder) === f.agent.address ? total : 0n),
  )
  expect(received).toEqual(expected.map((s) => s.amount))
  expect(received).toEqual(
    allocate(
      total,
      expected.map((s) => s.balance),
    ),
  )
  expect(received.reduce((a, b) => a + b, 0n)).toBe(total)
  const again = await distributeIncome(f.agent, {
    token,
    recordBlock,
    total,
    id: paid.id,
    batchSize: 3,
  }).catch((e) => e)
  expect(again.code).toBe('TOKENIZE_ALREADY_SETTLED')
})

test('a run cut short after its first batch resumes with the same id and pays the rest', async () => {
  const recordBlock = (await f.agent.chain.provider.getBlockNumber()) - 1
  const { holdings } = await holdingsAt(f.agent, { token, recordBlock })
  const total = 1_000_003n
  const shares = shareIncome(total, holdings)
  const id = hexlify(randomBytes(32))
  const d = contract(f.agent.chain, 'IncomeDistributor', f.deployment.distributor)
  const terms = { token, currency: f.deployment.currency, recordBlock, total }
  const first = shares.slice(0, 3)
  await (
    await d.getFunction('distributeBatch')(
      id,
      terms,
      first.map((s) => getAddress(s.holder)),
      first.map((s) => s.amount),
      false,
    )
  ).wait()
  // closing the run now would leave holders out: the contract refuses
  const rest = shares.slice(3)
  const early = await d
    .getFunction('distributeBatch')
    .staticCall(id, terms, [getAddress(rest[0]!.holder)], [rest[0]!.amount], true)
    .catch((e) => e)
  expect(early.revert?.name).toBe('HoldersMissing')
  const before = await Promise.all(shares.map((s) => cash(s.holder)))
  const resumed = await distributeIncome(f.agent, { token, recordBlock, total, id, batchSize: 2 })
  expect(resumed.hashes).toHaveLength(Math.ceil(rest.length / 2))
  const after = await Promise.all(shares.map((s) => cash(s.holder)))
  const paidNow = shares.map(
    (s, i) =>
      after[i]! -
      before[i]! +
      (getAddress(s.holder) === f.agent.address
        ? total - first.reduce((a, x) => a + x.amount, 0n)
        : 0n),
  )
  expect(paidNow).toEqual(shares.map((s, i) => (i < 3 ? 0n : s.amount)))
  expect(await d.getFunction('distributed')(id)).toBe(true)
})
