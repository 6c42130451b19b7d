// Trades, tokenizations and revaluations happen once, whatever the concurrency: the same work
// sent many times at once is done on chain once and its fee recorded once.
import { ONE_TOKEN } from '@btt/core'
import { useAnvil } from '@btt/testing'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { contract } from '../src/chain.js'
import {
  approve,
  quoteTrade,
  registerAsset,
  revalueAsset,
  settleTrade,
  signTrade,
  tokenizeAccounts,
  tokenizeAsset,
  valuationHistory,
  verifyInvestor,
} from '../src/index.js'
import { type Fixture, fixture } from './fixture.js'

const anvil = useAnvil()
let f: Fixture
const year = 365 * 86_400_000

beforeAll(async () => {
  f = await fixture(anvil())
  for (const p of [f.clinic, f.alice])
    await verifyInvestor(f.agent, {
      investor: p.address,
      country: 156,
      accredited: true,
      expiresAt: Date.now() + year,
    })
  await registerAsset(f.agent, {
    id: 'x-ray-3',
    type: 'equipment',
    owner: f.clinic.address,
    currency: 'CNY',
    tier: { complexity: 'low', regulatory: 'standard', assetClass: 'standard' },
    valuation: {
      value: 80_000_000n,
      date: Date.now() - 86_400_000,
      method: 'cost',
      appraiser: 'a',
    },
  })
}, 120_000)
afterAll(() => f?.close())

const settledOnce = (results: PromiseSettledResult<unknown>[], code: string) => {
  expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
  for (const r of results)
    if (r.status === 'rejected') expect((r.reason as { code: string }).code).toBe(code)
}

test('the same asset tokenized five times at once: one token, one minting fee', async () => {
  const results = await Promise.allSettled(
    Array.from({ length: 5 }, () =>
      tokenizeAsset(f.agent, {
        assetId: 'x-ray-3',
        supply: 1_000n * ONE_TOKEN,
        name: 'X',
        symbol: 'X',
      }),
    ),
  )
  settledOnce(results, 'TOKENIZE_ASSET_EXISTS')
  const fees = await f.ledger.getAccount(tokenizeAccounts.fees('minting', 'CNY'))
  expect(fees).toMatchObject({ creditsPosted: 1_200_000n, creditsPending: 0n }) // 1.5% of 800,000 CNY
})

test('one signed trade settled five times at once: paid once, its fee recorded once', async () => {
  const { readAsset } = await import('../src/index.js')
  const token = (await readAsset(f.agent, 'x-ray-3')).token!
  const { trade } = await quoteTrade(f.agent, {
    token,
    seller: f.clinic.address,
    buyer: f.alice.address,
    amount: 10n * ONE_TOKEN,
    price: 10n * ONE_TOKEN,
  })
  await approve(f.clinic, { token, amount: 10n * ONE_TOKEN })
  const sellerSignature = await signTrade(f.clinic.chain, f.deployment, trade)
  const buyerSignature = await signTrade(f.alice.chain, f.deployment, trade)
  const results = await Promise.allSettled(
    Array.from({ length: 5 }, () =>
      settleTrade(f.agent, { trade, sellerSignature, buyerSignature }),
    ),
  )
  settledOnce(results, 'TOKENIZE_ALREADY_SETTLED')
  const c = contract(f.agent.chain, 'AssetToken', token)
  expect(await c.getFunction('balanceOf')(f.alice.address)).toBe(10n * ONE_TOKEN)
  const fees = await f.ledger.getAccount(tokenizeAccounts.fees('trading', 'BTT'))
  expect(fees).toMatchObject({ creditsPosted: trade.fee - trade.burn, creditsPending: 0n })
})

test('the same revaluation sent three times at once: one history entry, one fee', async () => {
  const valuation = {
    value: 90_000_000n,
    date: Date.now() - 1000,
    method: 'market',
    appraiser: 'b',
  }
  const results = await Promise.allSettled(
    Array.from({ length: 3 }, () => revalueAsset(f.agent, { assetId: 'x-ray-3', valuation })),
  )
  settledOnce(results, 'TOKENIZE_ALREADY_SETTLED')
  expect((await valuationHistory(f.agent, { assetId: 'x-ray-3' })).map((v) => v.value)).toEqual([
    80_000_000n,
    90_000_000n,
  ])
  const fees = await f.ledger.getAccount(tokenizeAccounts.fees('revaluation', 'CNY'))
  expect(fees).toMatchObject({ creditsPosted: 225_000n, creditsPending: 0n }) // 0.25%
})
