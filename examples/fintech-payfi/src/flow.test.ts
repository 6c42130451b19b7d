import { useAnvil } from '@btt/testing'
import { expect, test } from 'vitest'
import { runFlow } from './flow.js'

const anvil = useAnvil()

test('the fintech example takes a CNY payment over HTTP, verifies its webhook, settles it on anvil and reconciles', async () => {
  const lines: string[] = []
  const s = await runFlow({
    rpcUrl: anvil().rpcUrl,
    privateKeys: anvil().privateKeys,
    log: (l) => lines.push(l),
  })
  const p = s.payment
  expect(p.status).toBe('captured')
  expect(p.amountCaptured).toBe('100000') // 1,000.00 CNY in fen
  const net = BigInt(p.amountCaptured) - BigInt(p.feeCaptured)
  expect(BigInt(p.feeCaptured)).toBeGreaterThan(0n)
  expect(net + BigInt(p.feeCaptured)).toBe(BigInt(p.quote.gross))
  expect(s.replayedSameId).toBe(true)
  expect(s.conflictCode).toBe('PAYFI_IDEMPOTENCY_CONFLICT')
  // the webhook was verified against the raw body and carries the captured payment
  expect(s.webhook.type).toBe('payment.captured')
  expect(s.webhook.data.id).toBe(p.id)
  expect(s.webhook.sequence).toBe(3)
  // the same event re-serialised is refused: verification is over the raw bytes
  expect(s.reserialisedStatus).toBe(400)
  expect(s.webhooksRefused).toBe(1)
  // the clinic's net, converted exactly from fen (2 decimals) to the 6-decimal stablecoin
  expect(s.batches.map((b) => b.status)).toEqual(['posted'])
  expect(s.clinicBalance).toBe(net * 10n ** 4n)
  expect(s.differences).toEqual([])
  expect(s.totals).toMatchObject({
    ledgerPosted: s.clinicBalance.toString(),
    ledgerInFlight: '0',
    chainPaid: s.clinicBalance.toString(),
  })
  expect(s.chainLabel).toBe('evm chain 31337')
  expect(lines.some((l) => l.startsWith('reconciliation: the ledger and the chain agree'))).toBe(
    true,
  )
}, 120_000)
