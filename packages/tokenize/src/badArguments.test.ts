// TypeScript types do not exist at run time: every exported function checks its arguments and
// throws TOKENIZE_INVALID_ARGUMENT (or the valuation's own code) before touching a chain or ledger.
import { expect, test } from 'vitest'
import * as api from './index.js'

const t = { chain: {}, deployment: {}, ledger: {} } as never
const addr = '0x000000000000000000000000000000000000aaaa'
const bad: [string, () => unknown][] = [
  ['deployTokenization', () => api.deployTokenization(t, { currency: 'nope' })],
  ['deploySettlementToken', () => api.deploySettlementToken(t, { mint: { nope: 1n } })],
  ['registerAsset', () => api.registerAsset(t, { id: 'Bad Id' } as never)],
  [
    'tokenizeAsset',
    () => api.tokenizeAsset(t, { assetId: 'a', supply: 1.5, name: 'n', symbol: 'S' } as never),
  ],
  [
    'verifyInvestor',
    () =>
      api.verifyInvestor(t, {
        investor: addr,
        country: Number.NaN,
        accredited: true,
        expiresAt: 1,
      }),
  ],
  [
    'detectTransferRestriction',
    () => api.detectTransferRestriction(t, { token: addr, from: addr, to: addr, amount: -1n }),
  ],
  [
    'assertTransferable',
    () => api.assertTransferable(t, { token: addr, from: 'x', to: addr, amount: 1n }),
  ],
  ['transferTokens', () => api.transferTokens(t, { token: addr, to: addr, amount: 0n })],
  ['setWalletFrozen', () => api.setWalletFrozen(t, { token: addr, wallet: 'x', frozen: true })],
  ['freezeTokens', () => api.freezeTokens(t, { token: addr, wallet: addr, amount: '5' } as never)],
  ['setPaused', () => api.setPaused(t, { token: addr, paused: 'yes' } as never)],
  ['setHoldingLimit', () => api.setHoldingLimit(t, { token: addr, limit: -1n })],
  [
    'forcedTransfer',
    () => api.forcedTransfer(t, { token: addr, from: addr, to: addr, amount: 1 } as never),
  ],
  ['recoverWallet', () => api.recoverWallet(t, { token: addr, lost: addr, replacement: '' })],
  ['burnTokens', () => api.burnTokens(t, { token: addr, wallet: addr, amount: 0n })],
  ['mintTokens', () => api.mintTokens(t, { token: addr, wallet: addr, amount: 0n })],
  [
    'quoteTrade',
    () => api.quoteTrade(t, { token: addr, seller: addr, buyer: addr, amount: 1n, price: 0n }),
  ],
  ['signTrade', () => api.signTrade(t, {} as never, { id: '0x1' } as never)],
  [
    'settleTrade',
    () => api.settleTrade(t, { trade: {}, sellerSignature: 'x', buyerSignature: 'y' } as never),
  ],
  ['approve', () => api.approve(t, { token: addr, amount: -1n })],
  [
    'revalueAsset',
    () =>
      api.revalueAsset(t, {
        assetId: 'a',
        valuation: { value: 1, date: 0, method: 'm', appraiser: 'a' },
      } as never),
  ],
  ['valuationHistory', () => api.valuationHistory(t, { assetId: '' })],
  ['readAsset', () => api.readAsset(t, 'x'.repeat(40))],
  [
    'verifyDocument',
    () => api.verifyDocument(t, { assetId: 'a', name: 'n', content: 'text' } as never),
  ],
  ['documentHash', () => api.documentHash('text' as never)],
  ['distributeIncome', () => api.distributeIncome(t, { token: addr, recordBlock: -1, total: 1n })],
  ['holdingsAt', () => api.holdingsAt(t, { token: addr, recordBlock: 1.5 })],
  ['readEligibility', () => api.readEligibility(t, 'nope')],
  [
    'readTransferState',
    () => api.readTransferState(t, { token: addr, from: addr, to: addr, blockTag: -1 }),
  ],
  ['recordBlockAt', () => api.recordBlockAt(t, { date: Number.NaN })],
  ['shareIncome', () => api.shareIncome(0n, [])],
  ['liquidityAccruals', () => api.liquidityAccruals({ dailyBalances: [-1n] })],
  [
    'accrueLiquidityFee',
    () =>
      api.accrueLiquidityFee(t, {
        poolId: 'p',
        currency: 'EUR',
        firstDay: 0,
        dailyBalances: [1n],
      } as never),
  ],
  ['openTokenization', () => api.openTokenization({ chain: {}, deployment: {} } as never)],
  ['tradeFee', () => api.tradeFee(0n, 1n)],
  ['tokenizeArtifact', () => api.tokenizeArtifact('IIdentityCheck' as never)],
]

test.each(bad)(
  '%s refuses a bad argument with a coded error, touching nothing',
  async (_, call) => {
    const error = await (async () => call())().then(
      () => null,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(api.TokenizeError)
    expect((error as api.TokenizeError).code).toBe('TOKENIZE_INVALID_ARGUMENT')
  },
)

test('every exported function is in the table above (or is a pure helper listed here)', () => {
  const pure = [
    'messageForTransferRestriction',
    'restrictionCode',
    'parseTokenize',
    'tokenizeChainError',
    'chainNow',
  ]
  const functions = Object.entries(api)
    .filter(([name, v]) => typeof v === 'function' && !/^[A-Z]/.test(name))
    .map(([name]) => name)
  const covered = new Set([...bad.map(([n]) => n), ...pure])
  expect(functions.filter((n) => !covered.has(n))).toEqual([])
})
