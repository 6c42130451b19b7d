import { ONE_TOKEN } from '@btt/core'
import { useAnvil } from '@btt/testing'
import { expect, test } from 'vitest'
import { runFlow } from './flow.js'

const anvil = useAnvil()

test('the asset-tokenization example runs the whole flow on anvil', async () => {
  const lines: string[] = []
  const s = await runFlow({
    rpcUrl: anvil().rpcUrl,
    privateKeys: anvil().privateKeys,
    log: (l) => lines.push(l),
  })
  expect(s.mintingFee).toBe(25_000_000n) // 2.5% of 10,000,000 CNY, in fen
  expect(s.trades[0]!.burn).toBe(200n * ONE_TOKEN)
  expect(s.trades[1]!.burn).toBe(0n)
  expect(s.distribution).toHaveLength(3)
  expect(s.distributed).toBe(500_000n * ONE_TOKEN + 1n)
  expect(s.ledgerFees['minting CNY']).toBe(s.mintingFee)
  expect(s.ledgerFees['liquidity CNY']).toBe(s.liquidityFee)
  expect(lines.some((l) => l.startsWith('tokenized:'))).toBe(true)
  // every amount printed with its unit as a decimal, never as raw base units (fen, 10⁻¹⁸ BTT)
  expect(lines.filter((l) => /(^|[\s:(])\d{7,}\b/.test(l))).toEqual([])
  expect(lines).toContain('revalued to 10,400,000 CNY, fee 52,000.00 CNY')
}, 120_000)
