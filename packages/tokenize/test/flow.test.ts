// The "Done when", on anvil: an MRI machine valued at 10,000,000 CNY tokenized with the
// right minting fee; a verified investor buys and sells with the trading fee and the burn; an
// unverified one refused by the library and by the contract; a revaluation and a distribution
// paying every holder exactly; forced transfer and recovery only by the agent.
import { allocate, mintingFee, ONE_TOKEN, recordBurn, secondaryTradeFee } from '@btt/core'
import { useAnvil } from '@btt/testing'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { contract } from '../src/chain.js'
import {
  type AssetDocument,
  approve,
  detectTransferRestriction,
  distributeIncome,
  documentHash,
  forcedTransfer,
  quoteTrade,
  recordBlockAt,
  recoverWallet,
  registerAsset,
  revalueAsset,
  settleTrade,
  signTrade,
  tokenizeAccounts,
  tokenizeAsset,
  tradeFee,
  transferTokens,
  valuationHistory,
  verifyDocument,
  verifyInvestor,
} from '../src/index.js'
import { advance, type Fixture, fixture, nonce, type Party } from './fixture.js'

const anvil = useAnvil()
let f: Fixture
const CNY = 100n // fen per yuan
const year = 365 * 86_400_000
let token: string

beforeAll(async () => {
  f = await fixture(anvil())
}, 120_000)
afterAll(() => f?.close())

const appraisal = new TextEncoder().encode('MRI appraisal report, Siemens Magnetom, 2026-11')

async function balances(p: Party) {
  const t = contract(p.chain, 'AssetToken', token)
  const c = contract(p.chain, 'SettlementToken', f.deployment.currency)
  return {
    tokens: (await t.getFunction('balanceOf')(p.address)) as bigint,
    cash: (await c.getFunction('balanceOf')(p.address)) as bigint,
  }
}

async function trade(seller: Party, buyer: Party, amount: bigint, price: bigint) {
  const { trade } = await quoteTrade(f.agent, {
    token,
    seller: seller.address,
    buyer: buyer.address,
    amount,
    price,
  })
  await approve(seller, { token, amount })
  const sellerSignature = await signTrade(seller.chain, f.deployment, trade)
  const buyerSignature = await signTrade(buyer.chain, f.deployment, trade)
  return { trade, ...(await settleTrade(f.agent, { trade, sellerSignature, buyerSignature })) }
}

describe('an MRI machine, tokenized, traded, revalued and paying income', () => {
  test('registered with its documents and valuation, tokenized with the minting fee in the ledger', async () => {
    const now = Date.now()
    for (const p of [f.clinic, f.alice, f.bob])
      await verifyInvestor(f.agent, {
        investor: p.address,
        country: 156,
        accredited: true,
        expiresAt: now + year,
      })
    const doc: AssetDocument = {
      name: 'appraisal-2026',
      uri: 'ipfs://bafy-mri-appraisal',
      sha256: documentHash(appraisal),
      content: appraisal,
    }
    const asset = await registerAsset(f.agent, {
      id: 'mri-001',
      type: 'equipment',
      owner: f.clinic.address,
      currency: 'CNY',
      tier: { complexity: 'high', regulatory: 'regulated', assetClass: 'complex' },
      valuation: {
        value: 10_000_000n * CNY,
        date: now - 86_400_000,
        method: 'cost-approach',
        appraiser: 'Shanghai Medical Appraisal Co.',
      },
      documents: [doc],
    })
    expect(asset.valuation.value).toBe(1_000_000_000n)
    expect(
      await verifyDocument(f.agent, {
        assetId: 'mri-001',
        name: 'appraisal-2026',
        content: appraisal,
      }),
    ).toMatchObject({ sha256: doc.sha256 })
    const result = await tokenizeAsset(f.agent, {
      assetId: 'mri-001',
      supply: 10_000_000n * ONE_TOKEN,
      name: 'MRI 001',
      symbol: 'MRI001',
      holdingLimit: 10_000_000n * ONE_TOKEN,
    })
    token = result.token
    // 100 base + 100 high complexity + 50 regulated + 0 for a value of 10,000,000 CNY or more
    expect(result.fee.bps).toBe(250)
    expect(result.fee.fee).toBe(250_000n * CNY)
    expect(result.fee).toEqual(
      mintingFee(1_000_000_000n, { complexity: 'high', regulatory: 'regulated' }),
    )
    const fees = await f.ledger.getAccount(tokenizeAccounts.fees('minting', 'CNY'))
    expect(fees?.creditsPosted).toBe(250_000n * CNY)
    expect(fees?.creditsPending).toBe(0n)
    expect(
      (await f.ledger.getAccount(tokenizeAccounts.issuer(f.clinic.address, 'CNY')))?.debitsPosted,
    ).toBe(250_000n * CNY)
    expect((await balances(f.clinic)).tokens).toBe(10_000_000n * ONE_TOKEN)
  })

  test('a verified investor buys with the trading fee and the burn, and sells', async () => {
    const amount = 200_000n * ONE_TOKEN
    const price = 200_000n * ONE_TOKEN // 200,000 BTT: above the burn threshold (100,000)
    const seller0 = await balances(f.clinic)
    const buyer0 = await balances(f.alice)
    const feeTo0 = await balances(f.agent)
    const currency = contract(f.agent.chain, 'SettlementToken', f.deployment.currency)
    const supply0: bigint = await currency.getFunction('totalSupply')()
    const { trade: t1, entry } = await trade(f.clinic, f.alice, amount, price)
    // 200,000 of 10,000,000 tokens of a 10,000,000 CNY asset: a 200,000 CNY trade, the 0.75% tier
    const fee = (price * 75n) / 10_000n
    expect(tradeFee(price, 200_000n * CNY)).toMatchObject({ bps: 75, fee })
    expect(secondaryTradeFee(200_000n * CNY).bps).toBe(75)
    const { burn } = recordBurn({ burned: 0n, count: 0 }, { value: price })
    expect(t1.fee).toBe(fee)
    expect(t1.burn).toBe(burn)
    expect(burn).toBe(200n * ONE_TOKEN)
    expect((await balances(f.alice)).tokens - buyer0.tokens).toBe(amount)
    expect(buyer0.cash - (await balances(f.alice)).cash).toBe(price)
    expect((await balances(f.clinic)).cash - seller0.cash).toBe(price - fee)
    expect((await balances(f.clinic)).tokens).toBe(seller0.tokens - amount)
    expect((await balances(f.agent)).cash - feeTo0.cash).toBe(fee - burn)
    expect(supply0 - (await currency.getFunction('totalSupply')())).toBe(burn)
    const recorded = await f.ledger.lookupTransfer(`${entry}:post`)
    expect(recorded?.type).toBe('post')
    expect((await f.ledger.getAccount(tokenizeAccounts.burned('BTT')))?.creditsPosted).toBe(burn)
    expect(
      (await f.ledger.getAccount(tokenizeAccounts.fees('trading', 'BTT')))?.creditsPosted,
    ).toBe(fee - burn)

    // the same signed trade cannot be settled twice: refused before sending, and by the market
    const replay = await settleTrade(f.agent, {
      trade: t1,
      sellerSignature: '0x00',
      buyerSignature: '0x00',
    }).catch((e) => e)
    expect(replay.code).toBe('TOKENIZE_ALREADY_SETTLED')
    const market = contract(f.agent.chain, 'SecondaryMarket', f.deployment.market)
    const direct = await market
      .getFunction('settle')
      .staticCall(t1, '0x', '0x')
      .catch((e) => e)
    expect(direct.revert?.name).toBe('AlreadySettled')

    // she sells part on to Bob, below the burn threshold: a fee, no burn
    const { trade: t2 } = await trade(f.alice, f.bob, 50_000n * ONE_TOKEN, 60_000n * ONE_TOKEN)
    expect(t2.burn).toBe(0n)
    expect(t2.fee).toBe((60_000n * ONE_TOKEN * 100n) / 10_000n) // a 50,000 CNY trade: 1%
    expect((await balances(f.bob)).tokens).toBe(50_000n * ONE_TOKEN)
    expect((await balances(f.alice)).tokens).toBe(150_000n * ONE_TOKEN)
  })

  test('an unverified investor is refused by the library (nothing sent) and by the contract', async () => {
    const before = await nonce(f.agent.chain, f.alice.address)
    const refused = await transferTokens(f.alice, {
      token,
      to: f.carol.address,
      amount: ONE_TOKEN,
    }).catch((e) => e)
    expect(refused.code).toBe('TOKENIZE_TRANSFER_RESTRICTED')
    expect(refused.details).toMatchObject({ code: 6, onChain: false })
    expect(refused.details.message).toMatch(/recipient has no valid identity claim/)
    const quote = await quoteTrade(f.agent, {
      token,
      seller: f.alice.address,
      buyer: f.carol.address,
      amount: ONE_TOKEN,
      price: ONE_TOKEN,
    }).catch((e) => e)
    expect(quote.code).toBe('TOKENIZE_TRANSFER_RESTRICTED')
    expect(await nonce(f.agent.chain, f.alice.address)).toBe(before)
    // the library's code is the contract's
    const c = contract(f.alice.chain, 'AssetToken', token)
    const lib = await detectTransferRestriction(f.alice, {
      token,
      from: f.alice.address,
      to: f.carol.address,
      amount: ONE_TOKEN,
    })
    expect(
      await c.getFunction('detectTransferRestriction')(
        f.alice.address,
        f.carol.address,
        ONE_TOKEN,
        { blockTag: lib.blockNumber },
      ),
    ).toBe(6n)
    // a direct call, past the library, reverts on chain and moves nothing
    const tx = await c.getFunction('transfer')(f.carol.address, ONE_TOKEN, { gasLimit: 300_000 })
    const receipt = await f.alice.chain.provider.waitForTransaction(tx.hash).catch((e) => e)
    expect(receipt?.status ?? 0).toBe(0)
    expect((await balances(f.carol)).tokens).toBe(0n)
  })

  test('a revaluation charges its fee and keeps the history; a distribution pays every holder exactly at the record block', async () => {
    const { record, fee } = await revalueAsset(f.agent, {
      assetId: 'mri-001',
      valuation: {
        value: 12_000_000n * CNY,
        date: Date.now() - 1000,
        method: 'income-approach',
        appraiser: 'Shanghai Medical Appraisal Co.',
      },
    })
    expect(fee.fee).toBe((12_000_000n * CNY * 50n) / 10_000n) // complex: 0.5%
    expect(record.valuePerToken).toBe((12_000_000n * CNY * ONE_TOKEN) / (10_000_000n * ONE_TOKEN))
    const history = await valuationHistory(f.agent, { assetId: 'mri-001' })
    expect(history.map((v) => v.value)).toEqual([10_000_000n * CNY, 12_000_000n * CNY])
    expect(
      (await f.ledger.getAccount(tokenizeAccounts.fees('revaluation', 'CNY')))?.creditsPosted,
    ).toBe(fee.fee)

    const recordBlock = await f.agent.chain.provider.getBlockNumber()
    const holders = [f.clinic, f.alice, f.bob]
    const atRecord = await Promise.all(holders.map(balances))
    // tokens move after the record date: income still follows the record-date balances
    await transferTokens(f.alice, { token, to: f.bob.address, amount: 10_000n * ONE_TOKEN })
    const cash0 = await Promise.all(holders.map(balances))
    const total = 1_000_003n * ONE_TOKEN + 7n
    const paid = await distributeIncome(f.agent, { token, recordBlock, total })
    const expected = allocate(
      total,
      atRecord.map((b) => b.tokens),
    )
    const cash1 = await Promise.all(holders.map(balances))
    const received = holders.map(
      (_, i) => cash1[i]!.cash - cash0[i]!.cash + (holders[i] === f.agent ? total : 0n),
    )
    expect(received).toEqual(expected)
    expect(received.reduce((a, b) => a + b, 0n)).toBe(total)
    expect(paid.shares).toHaveLength(3)
    await advance(f.agent.chain, 2) // a record date is past once a later second has a block
    expect(
      await recordBlockAt(f.agent, {
        date: (await f.agent.chain.provider.getBlock(recordBlock))!.timestamp * 1000,
      }),
    ).toBeGreaterThanOrEqual(recordBlock)
    const again = await distributeIncome(f.agent, { token, recordBlock, total, id: paid.id }).catch(
      (e) => e,
    )
    expect(again.code).toBe('TOKENIZE_ALREADY_SETTLED')
  })

  test('forced transfer and recovery work for the agent only', async () => {
    const byAlice = await forcedTransfer(f.alice, {
      token,
      from: f.bob.address,
      to: f.alice.address,
      amount: ONE_TOKEN,
    }).catch((e) => e)
    expect(byAlice.code).toBe('TOKENIZE_NOT_AGENT')
    const direct = contract(f.alice.chain, 'AssetToken', token)
    const reverted = await direct
      .getFunction('forcedTransfer')
      .staticCall(f.bob.address, f.alice.address, ONE_TOKEN)
      .catch((e) => e)
    expect(reverted.revert?.name).toBe('AccessControlUnauthorizedAccount')
    const recovery = await recoverWallet(f.bob, {
      token,
      lost: f.alice.address,
      replacement: f.bob.address,
    }).catch((e) => e)
    expect(recovery.code).toBe('TOKENIZE_NOT_AGENT')

    const bob0 = (await balances(f.bob)).tokens
    await forcedTransfer(f.agent, {
      token,
      from: f.bob.address,
      to: f.alice.address,
      amount: ONE_TOKEN,
    })
    expect((await balances(f.bob)).tokens).toBe(bob0 - ONE_TOKEN)
    // Bob lost his key: his whole balance moves to a new verified wallet
    const fresh = '0x000000000000000000000000000000000000b0b2'
    await verifyInvestor(f.agent, {
      investor: fresh,
      country: 156,
      accredited: true,
      expiresAt: Date.now() + year,
    })
    await recoverWallet(f.agent, { token, lost: f.bob.address, replacement: fresh })
    const t = contract(f.agent.chain, 'AssetToken', token)
    expect(await t.getFunction('balanceOf')(fresh)).toBe(bob0 - ONE_TOKEN)
    expect((await balances(f.bob)).tokens).toBe(0n)
  })
})
