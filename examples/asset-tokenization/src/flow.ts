import { ONE_TOKEN } from '@btt/core'
import { openSqliteLedger } from '@btt/payfi'
import { type ChainConnection, connectChain } from '@btt/payfi/evm'
import {
  accrueLiquidityFee,
  approve,
  deploySettlementToken,
  deployTokenization,
  distributeIncome,
  documentHash,
  quoteTrade,
  registerAsset,
  revalueAsset,
  settleTrade,
  signTrade,
  type Tokenization,
  tokenizeAccounts,
  tokenizeAsset,
  transferTokens,
  verifyInvestor,
} from '@btt/tokenize'
import { formatAmount } from './format.js'

export type FlowSummary = {
  token: string
  mintingFee: bigint
  trades: { fee: bigint; burn: bigint }[]
  revaluationFee: bigint
  liquidityFee: bigint
  distribution: { holder: string; amount: bigint }[]
  distributed: bigint
  ledgerFees: Record<string, bigint>
}

const CNY = 100n // fen per yuan

/**
 * The whole tokenization flow for one asset: a clinic's MRI machine valued at 10,000,000 CNY is
 * registered with its appraisal, tokenized (minting fee into the ledger), sold to a verified
 * investor (trading fee and burn, settled atomically on chain), partly sold on, revalued, its
 * liquidity pool charged for a month, and its rent paid to the holders at a record block.
 *
 * @param parameters - an RPC URL and four funded keys: agent, clinic, two investors.
 * @returns what was charged and paid.
 */
export async function runFlow(parameters: {
  rpcUrl: string
  privateKeys: readonly string[]
  log?: (line: string) => void
}): Promise<FlowSummary> {
  const log = parameters.log ?? (() => undefined)
  const chains: ChainConnection[] = []
  for (const privateKey of parameters.privateKeys.slice(0, 4))
    chains.push(await connectChain({ rpcUrl: parameters.rpcUrl, privateKey }))
  const agentChain = chains[0]!
  const ledger = openSqliteLedger(':memory:')
  try {
    const mint = Object.fromEntries(chains.map((c) => [c.address, 1_000_000n * ONE_TOKEN]))
    const currency = await deploySettlementToken(agentChain, { mint })
    const deployment = await deployTokenization(agentChain, { currency })
    const [agent, clinic, alice, bob] = chains.map(
      (chain): Tokenization => ({ chain, deployment, ledger }),
    )
    log(`deployed: market ${deployment.market}, registry ${deployment.assetRegistry}`)
    const year = Date.now() + 365 * 86_400_000
    for (const p of [clinic!, alice!, bob!])
      await verifyInvestor(agent!, {
        investor: p.chain.address,
        country: 156,
        accredited: true,
        expiresAt: year,
      })

    const appraisal = new TextEncoder().encode('Appraisal: MRI 3T, installed 2024, 10,000,000 CNY')
    await registerAsset(agent!, {
      id: 'mri-shanghai-01',
      type: 'equipment',
      owner: clinic!.chain.address,
      currency: 'CNY',
      tier: { complexity: 'high', regulatory: 'regulated', assetClass: 'complex' },
      valuation: {
        value: 10_000_000n * CNY,
        date: Date.now() - 86_400_000,
        method: 'cost-approach',
        appraiser: 'Shanghai Medical Appraisal Co.',
      },
      documents: [
        {
          name: 'appraisal',
          uri: 'ipfs://appraisal-mri-01',
          sha256: documentHash(appraisal),
          content: appraisal,
        },
      ],
    })
    const minted = await tokenizeAsset(agent!, {
      assetId: 'mri-shanghai-01',
      supply: 10_000_000n * ONE_TOKEN,
      name: 'MRI Shanghai 01',
      symbol: 'MRI01',
    })
    log(
      `tokenized: ${minted.token}, minting fee ${formatAmount(minted.fee.fee, 'CNY')} (${minted.fee.bps} bps)`,
    )

    const trades: FlowSummary['trades'] = []
    for (const [seller, buyer, amount, price] of [
      [clinic!, alice!, 200_000n * ONE_TOKEN, 200_000n * ONE_TOKEN],
      [alice!, bob!, 50_000n * ONE_TOKEN, 52_000n * ONE_TOKEN],
    ] as const) {
      for (const p of [seller, buyer]) await approve(p, { token: currency, amount: price })
      await approve(seller, { token: minted.token, amount })
      const { trade } = await quoteTrade(agent!, {
        token: minted.token,
        seller: seller.chain.address,
        buyer: buyer.chain.address,
        amount,
        price,
      })
      const sellerSignature = await signTrade(seller.chain, deployment, trade)
      const buyerSignature = await signTrade(buyer.chain, deployment, trade)
      await settleTrade(agent!, { trade, sellerSignature, buyerSignature })
      trades.push({ fee: trade.fee, burn: trade.burn })
      log(
        `trade: ${(amount / ONE_TOKEN).toLocaleString('en-US')} tokens for ${formatAmount(price, 'BTT')}, fee ${formatAmount(trade.fee, 'BTT')}, burned ${formatAmount(trade.burn, 'BTT')}`,
      )
    }

    const revalued = await revalueAsset(agent!, {
      assetId: 'mri-shanghai-01',
      valuation: {
        value: 10_400_000n * CNY,
        date: Date.now() - 1000,
        method: 'income-approach',
        appraiser: 'Shanghai Medical Appraisal Co.',
      },
    })
    log(`revalued to 10,400,000 CNY, fee ${formatAmount(revalued.fee.fee, 'CNY')}`)
    const liquidity = await accrueLiquidityFee(ledger, {
      poolId: 'mri-shanghai-01-pool',
      currency: 'CNY',
      firstDay: Date.UTC(2026, 10, 1),
      dailyBalances: Array.from({ length: 30 }, (_, i) => (2_000_000n + BigInt(i) * 10_000n) * CNY),
    })
    log(
      `liquidity pool, 30 days: fee ${formatAmount(liquidity.fee.fee, 'CNY')} (accrued day by day on the pool's balance), collected`,
    )

    const recordBlock = await agentChain.provider.getBlockNumber()
    await transferTokens(alice!, {
      token: minted.token,
      to: bob!.chain.address,
      amount: 1_000n * ONE_TOKEN,
    }) // after the record date
    const rent = 500_000n * ONE_TOKEN + 1n
    await approve(clinic!, { token: currency, amount: rent, spender: 'distributor' })
    const paid = await distributeIncome(clinic!, { token: minted.token, recordBlock, total: rent })
    for (const s of paid.shares) log(`  rent to ${s.holder}: ${formatAmount(s.amount, 'BTT')}`)

    const ledgerFees: Record<string, bigint> = {}
    for (const [kind, cur] of [
      ['minting', 'CNY'],
      ['revaluation', 'CNY'],
      ['liquidity', 'CNY'],
      ['trading', 'BTT'],
    ] as const)
      ledgerFees[`${kind} ${cur}`] =
        (await ledger.getAccount(tokenizeAccounts.fees(kind, cur)))?.creditsPosted ?? 0n
    return {
      token: minted.token,
      mintingFee: minted.fee.fee,
      trades,
      revaluationFee: revalued.fee.fee,
      liquidityFee: liquidity.fee.fee,
      distribution: paid.shares.map((s) => ({ holder: s.holder, amount: s.amount })),
      distributed: paid.shares.reduce((a, s) => a + s.amount, 0n),
      ledgerFees,
    }
  } finally {
    await ledger.close()
    for (const c of chains) c.provider.destroy()
  }
}
