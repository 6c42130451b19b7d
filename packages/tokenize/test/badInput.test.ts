// The bad-input list: each refused by the library before any transaction is sent (the
// sender's nonce does not move) with its code and message, and by the contract on a direct call.
import { ONE_TOKEN } from '@btt/core'
import { useAnvil } from '@btt/testing'
import { encodeBytes32String } from 'ethers'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { contract } from '../src/chain.js'
import {
  approve,
  detectTransferRestriction,
  distributeIncome,
  documentHash,
  freezeTokens,
  messageForTransferRestriction,
  quoteTrade,
  registerAsset,
  revalueAsset,
  setHoldingLimit,
  setPaused,
  settleTrade,
  setWalletFrozen,
  signTrade,
  tokenizeAsset,
  transferTokens,
  verifyDocument,
  verifyInvestor,
} from '../src/index.js'
import { advance, type Fixture, fixture, nonce, type Party } from './fixture.js'

const anvil = useAnvil()
let f: Fixture
let token: string
const year = 365 * 86_400_000
const LIMIT = 1_000n * ONE_TOKEN

async function now(p: Party): Promise<number> {
  return ((await p.chain.provider.getBlock('latest'))?.timestamp ?? 0) * 1000
}

beforeAll(async () => {
  f = await fixture(anvil())
  const t = await now(f.agent)
  for (const p of [f.clinic, f.alice, f.bob])
    await verifyInvestor(f.agent, {
      investor: p.address,
      country: 156,
      accredited: true,
      expiresAt: t + year,
    })
  await registerAsset(f.agent, {
    id: 'ct-7',
    type: 'equipment',
    owner: f.clinic.address,
    currency: 'CNY',
    tier: { complexity: 'medium', regulatory: 'regulated', assetClass: 'standard' },
    valuation: { value: 500_000_00n, date: t - 1000, method: 'market', appraiser: 'Appraiser A' },
  })
  token = (
    await tokenizeAsset(f.agent, {
      assetId: 'ct-7',
      supply: LIMIT,
      name: 'CT 7',
      symbol: 'CT7',
      holdingLimit: LIMIT,
    })
  ).token
  await transferTokens(f.clinic, { token, to: f.alice.address, amount: 100n * ONE_TOKEN })
}, 120_000)
afterAll(() => f?.close())

/** Library refusal with `code` (no transaction from `from`), then the same code on chain and a direct call reverting. */
async function refusedBothWays(from: Party, to: string, amount: bigint, code: number, on = token) {
  const token = on
  const sent = await nonce(from.chain, from.address)
  const e = await transferTokens(from, { token, to, amount }).catch((x) => x)
  expect(e.code).toBe('TOKENIZE_TRANSFER_RESTRICTED')
  expect(e.details).toMatchObject({
    code,
    message: messageForTransferRestriction(code),
    onChain: false,
  })
  expect(await nonce(from.chain, from.address)).toBe(sent)
  const c = contract(from.chain, 'AssetToken', token)
  const lib = await detectTransferRestriction(from, { token, from: from.address, to, amount })
  expect(lib.code).toBe(code)
  expect(
    Number(
      await c.getFunction('detectTransferRestriction')(from.address, to, amount, {
        blockTag: lib.blockNumber,
      }),
    ),
  ).toBe(code)
  const direct = await c
    .getFunction('transfer')
    .staticCall(to, amount)
    .catch((x) => x)
  expect(direct.revert).toMatchObject({ name: 'TransferRestricted', args: [BigInt(code)] })
}

describe('transfers the token refuses', () => {
  test('the library and the contract give the same message for every code', async () => {
    const c = contract(f.agent.chain, 'AssetToken', token)
    for (let code = 0; code <= 9; code++)
      expect(await c.getFunction('messageForTransferRestriction')(code)).toBe(
        messageForTransferRestriction(code),
      )
  })

  test('to an unverified investor', () => refusedBothWays(f.alice, f.carol.address, ONE_TOKEN, 6))

  test('from a frozen wallet, and above the unfrozen part of a partly frozen one', async () => {
    await setWalletFrozen(f.agent, { token, wallet: f.alice.address, frozen: true })
    await refusedBothWays(f.alice, f.bob.address, ONE_TOKEN, 2)
    await setWalletFrozen(f.agent, { token, wallet: f.alice.address, frozen: false })
    await freezeTokens(f.agent, { token, wallet: f.alice.address, amount: 60n * ONE_TOKEN })
    await refusedBothWays(f.alice, f.bob.address, 41n * ONE_TOKEN, 4)
    await transferTokens(f.alice, { token, to: f.bob.address, amount: 40n * ONE_TOKEN })
    await freezeTokens(f.agent, {
      token,
      wallet: f.alice.address,
      amount: 60n * ONE_TOKEN,
      unfreeze: true,
    })
  })

  test('to a frozen wallet, and from a wallet whose claim was removed', async () => {
    await setWalletFrozen(f.agent, { token, wallet: f.bob.address, frozen: true })
    await refusedBothWays(f.alice, f.bob.address, ONE_TOKEN, 3)
    await setWalletFrozen(f.agent, { token, wallet: f.bob.address, frozen: false })
    const registry = contract(f.agent.chain, 'IdentityRegistry', f.deployment.identityRegistry)
    await (await registry.getFunction('removeIdentity')(f.alice.address)).wait()
    await refusedBothWays(f.alice, f.bob.address, ONE_TOKEN, 5)
    await verifyInvestor(f.agent, {
      investor: f.alice.address,
      country: 156,
      accredited: true,
      expiresAt: (await now(f.agent)) + year,
    })
  })

  test('to a non-accredited investor, on a token for accredited investors only', async () => {
    await verifyInvestor(f.agent, {
      investor: f.carol.address,
      country: 840,
      accredited: false,
      expiresAt: (await now(f.agent)) + year,
    })
    await registerAsset(f.agent, {
      id: 'rights-2',
      type: 'service-rights',
      owner: f.alice.address,
      currency: 'CNY',
      tier: { complexity: 'low', regulatory: 'highly-regulated', assetClass: 'standard' },
      valuation: {
        value: 2_000_000n,
        date: (await now(f.agent)) - 1000,
        method: 'dcf',
        appraiser: 'a',
      },
    })
    const rights = (
      await tokenizeAsset(f.agent, {
        assetId: 'rights-2',
        supply: ONE_TOKEN,
        name: 'Rights 2',
        symbol: 'R2',
        accreditedOnly: true,
      })
    ).token
    await refusedBothWays(f.alice, f.carol.address, 1n, 7, rights)
    expect(
      (
        await detectTransferRestriction(f.alice, {
          token: rights,
          from: f.alice.address,
          to: f.bob.address,
          amount: 1n,
        })
      ).code,
    ).toBe(0)
  })

  test('the identity source can be replaced: the token asks whatever IIdentityCheck it is given', async () => {
    const c = contract(f.agent.chain, 'AssetToken', token)
    const { deployTokenization } = await import('../src/index.js')
    const other = await deployTokenization(f.agent.chain, { currency: f.deployment.currency })
    await (await c.getFunction('setIdentityCheck')(other.identityRegistry)).wait()
    await refusedBothWays(f.alice, f.bob.address, ONE_TOKEN, 5) // nobody is verified there
    await (await c.getFunction('setIdentityCheck')(f.deployment.identityRegistry)).wait()
    expect(
      (
        await detectTransferRestriction(f.alice, {
          token,
          from: f.alice.address,
          to: f.bob.address,
          amount: ONE_TOKEN,
        })
      ).code,
    ).toBe(0)
  })

  test('above a holding limit', async () => {
    await setHoldingLimit(f.agent, { token, limit: 50n * ONE_TOKEN })
    await refusedBothWays(f.alice, f.bob.address, 11n * ONE_TOKEN, 8) // Bob holds 40
    await transferTokens(f.alice, { token, to: f.bob.address, amount: 10n * ONE_TOKEN })
    await setHoldingLimit(f.agent, { token, limit: 0n })
  })

  test('while paused', async () => {
    await setPaused(f.agent, { token, paused: true })
    await refusedBothWays(f.alice, f.bob.address, ONE_TOKEN, 1)
    await setPaused(f.agent, { token, paused: false })
  })

  test('to an investor whose claim has expired (a lapsed accreditation does not pass)', async () => {
    const dave = '0x000000000000000000000000000000000000da7e'
    await verifyInvestor(f.agent, {
      investor: dave,
      country: 344,
      accredited: true,
      expiresAt: (await now(f.agent)) + 60_000,
    })
    expect(
      (
        await detectTransferRestriction(f.alice, {
          token,
          from: f.alice.address,
          to: dave,
          amount: ONE_TOKEN,
        })
      ).code,
    ).toBe(0)
    await advance(f.agent.chain, 120)
    await refusedBothWays(f.alice, dave, ONE_TOKEN, 6)
  })

  test("a token's initial supply is minted only by the registry, once, as it links the token", async () => {
    const c = contract(f.agent.chain, 'AssetToken', token)
    const direct = await c
      .getFunction('initialMint')
      .staticCall(f.agent.address, 1n)
      .catch((x) => x)
    expect(direct.revert?.name).toBe('InvalidAmount')
    const registry = contract(f.agent.chain, 'AssetRegistry', f.deployment.assetRegistry)
    const relink = await registry
      .getFunction('setToken')
      .staticCall(encodeBytes32String('ct-7'), token, 1n)
      .catch((x) => x)
    expect(relink.revert?.name).toBe('TokenAlreadySet')
  })

  test('a non-agent cannot freeze, pause or mint, neither through the library nor directly', async () => {
    const e = await setPaused(f.alice, { token, paused: true }).catch((x) => x)
    expect(e.code).toBe('TOKENIZE_NOT_AGENT')
    const c = contract(f.alice.chain, 'AssetToken', token)
    for (const [fn, args] of [
      ['pause', []],
      ['setAddressFrozen', [f.bob.address, true]],
      ['mint', [f.alice.address, 1n]],
    ] as const) {
      const r = await c
        .getFunction(fn)
        .staticCall(...args)
        .catch((x) => x)
      expect(r.revert?.name, fn).toBe('AccessControlUnauthorizedAccount')
    }
  })
})

describe('other bad input: clear errors, nothing half-done', () => {
  test('valuations that are zero, negative or in the future', async () => {
    const sent = await nonce(f.agent.chain, f.agent.address)
    for (const value of [0n, -5n]) {
      const e = await revalueAsset(f.agent, {
        assetId: 'ct-7',
        valuation: { value, date: Date.now() - 1000, method: 'm', appraiser: 'a' },
      }).catch((x) => x)
      expect(e.code).toBe('TOKENIZE_INVALID_VALUATION')
    }
    const future = await revalueAsset(f.agent, {
      assetId: 'ct-7',
      valuation: {
        value: 1n,
        date: (await now(f.agent)) + 86_400_000,
        method: 'm',
        appraiser: 'a',
      },
    }).catch((x) => x)
    expect(future.code).toBe('TOKENIZE_INVALID_VALUATION')
    const zeroAsset = await registerAsset(f.agent, {
      id: 'zero',
      type: 'property',
      owner: f.clinic.address,
      currency: 'CNY',
      tier: { complexity: 'low', regulatory: 'standard', assetClass: 'standard' },
      valuation: { value: 0n, date: Date.now() - 1000, method: 'm', appraiser: 'a' },
    }).catch((x) => x)
    expect(zeroAsset.code).toBe('TOKENIZE_INVALID_VALUATION')
    expect(await nonce(f.agent.chain, f.agent.address)).toBe(sent)
    const registry = contract(f.agent.chain, 'AssetRegistry', f.deployment.assetRegistry)
    const direct = await registry
      .getFunction('revalue')
      .staticCall(
        encodeBytes32String('ct-7'),
        { value: 0n, date: 1n, method: 'm', appraiser: 'a' },
        1n,
      )
      .catch((x) => x)
    expect(direct.revert?.name).toBe('InvalidValuation')
    expect(
      (await f.ledger.queryTransfers({ metadata: { operation: 'tokenize.revalue' } })).length,
    ).toBe(0)
  })

  test('documents whose hash does not match: refused at registration and when checked', async () => {
    const bytes = new TextEncoder().encode('lease agreement')
    const sent = await nonce(f.agent.chain, f.agent.address)
    const e = await registerAsset(f.agent, {
      id: 'lease-1',
      type: 'property',
      owner: f.clinic.address,
      currency: 'CNY',
      tier: { complexity: 'low', regulatory: 'standard', assetClass: 'standard' },
      valuation: { value: 1_000_000n, date: Date.now() - 1000, method: 'm', appraiser: 'a' },
      documents: [
        {
          name: 'lease',
          uri: 'ipfs://x',
          sha256: documentHash(new TextEncoder().encode('another text')),
          content: bytes,
        },
      ],
    }).catch((x) => x)
    expect(e.code).toBe('TOKENIZE_DOCUMENT_MISMATCH')
    expect(await nonce(f.agent.chain, f.agent.address)).toBe(sent)
    await registerAsset(f.agent, {
      id: 'lease-1',
      type: 'property',
      owner: f.clinic.address,
      currency: 'CNY',
      tier: { complexity: 'low', regulatory: 'standard', assetClass: 'standard' },
      valuation: { value: 1_000_000n, date: Date.now() - 1000, method: 'm', appraiser: 'a' },
      documents: [{ name: 'lease', uri: 'ipfs://x', sha256: documentHash(bytes) }],
    })
    const tampered = await verifyDocument(f.agent, {
      assetId: 'lease-1',
      name: 'lease',
      content: new TextEncoder().encode('lease agreement!'),
    }).catch((x) => x)
    expect(tampered.code).toBe('TOKENIZE_DOCUMENT_MISMATCH')
    expect(
      (await verifyDocument(f.agent, { assetId: 'lease-1', name: 'lease', content: bytes })).sha256,
    ).toBe(documentHash(bytes))
  })

  test('a trade with an expired quote: refused before sending, and by the market on a direct call', async () => {
    const { trade } = await quoteTrade(f.agent, {
      token,
      seller: f.alice.address,
      buyer: f.bob.address,
      amount: ONE_TOKEN,
      price: ONE_TOKEN,
      ttlSeconds: 30,
    })
    await approve(f.alice, { token, amount: ONE_TOKEN })
    const sellerSignature = await signTrade(f.alice.chain, f.deployment, trade)
    const buyerSignature = await signTrade(f.bob.chain, f.deployment, trade)
    await advance(f.agent.chain, 60)
    const sent = await nonce(f.agent.chain, f.agent.address)
    const e = await settleTrade(f.agent, { trade, sellerSignature, buyerSignature }).catch((x) => x)
    expect(e.code).toBe('TOKENIZE_QUOTE_EXPIRED')
    expect(await nonce(f.agent.chain, f.agent.address)).toBe(sent)
    const market = contract(f.agent.chain, 'SecondaryMarket', f.deployment.market)
    const direct = await market
      .getFunction('settle')
      .staticCall(trade, sellerSignature, buyerSignature)
      .catch((x) => x)
    expect(direct.revert?.name).toBe('QuoteExpired')
    expect(await f.ledger.lookupTransfer(`tokenize:trade:${trade.id.toLowerCase()}`)).toBeNull()
  })

  test('a trade whose terms were changed after signing is refused by the market', async () => {
    const { trade } = await quoteTrade(f.agent, {
      token,
      seller: f.alice.address,
      buyer: f.bob.address,
      amount: ONE_TOKEN,
      price: ONE_TOKEN,
    })
    const sellerSignature = await signTrade(f.alice.chain, f.deployment, trade)
    const buyerSignature = await signTrade(f.bob.chain, f.deployment, trade)
    const market = contract(f.agent.chain, 'SecondaryMarket', f.deployment.market)
    const direct = await market
      .getFunction('settle')
      .staticCall({ ...trade, fee: 0n, burn: 0n }, sellerSignature, buyerSignature)
      .catch((x) => x)
    expect(direct.revert?.name).toBe('BadSignature')
  })

  test('a distribution to zero holders: refused by the library and by the distributor', async () => {
    const before = await f.agent.chain.provider.getBlockNumber()
    await registerAsset(f.agent, {
      id: 'ip-9',
      type: 'ip',
      owner: f.clinic.address,
      currency: 'CNY',
      tier: { complexity: 'high', regulatory: 'standard', assetClass: 'complex' },
      valuation: {
        value: 9_000_000n,
        date: Date.now() - 1000,
        method: 'relief-from-royalty',
        appraiser: 'a',
      },
    })
    const ip = (
      await tokenizeAsset(f.agent, {
        assetId: 'ip-9',
        supply: ONE_TOKEN,
        name: 'IP 9',
        symbol: 'IP9',
      })
    ).token
    const recordBlock = before // before the mint: no one held it
    const sent = await nonce(f.agent.chain, f.agent.address)
    const e = await distributeIncome(f.agent, { token: ip, recordBlock, total: 1000n }).catch(
      (x) => x,
    )
    expect(e.code).toBe('TOKENIZE_NO_HOLDERS')
    expect(await nonce(f.agent.chain, f.agent.address)).toBe(sent)
    const d = contract(f.agent.chain, 'IncomeDistributor', f.deployment.distributor)
    const id = encodeBytes32String('empty')
    const direct = await d
      .getFunction('distribute')
      .staticCall(id, ip, f.deployment.currency, recordBlock, 1000n, [], [])
      .catch((x) => x)
    expect(direct.revert?.name).toBe('InvalidDistribution')
    // and a list that leaves a holder out is refused too
    const later = await f.agent.chain.provider.getBlockNumber()
    await advance(f.agent.chain, 1)
    const missing = await d
      .getFunction('distribute')
      .staticCall(id, ip, f.deployment.currency, later, 1000n, [], [])
      .catch((x) => x)
    expect(missing.revert?.name).toBe('InvalidDistribution')
  })
})
