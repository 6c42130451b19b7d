import { TOKEN_DECIMALS } from '@btt/core'

/** Decimals of each unit the example prints: CNY is kept in fen, BTT in 18-decimal base units. */
const decimals = { CNY: 2, BTT: TOKEN_DECIMALS } as const

/**
 * An exact decimal with its unit, from base units: `formatAmount(25_000_000n, 'CNY')` is
 * `'250,000.00 CNY'`, `formatAmount(10n ** 18n + 1n, 'BTT')` is `'1.000000000000000001 BTT'`
 * (BTT keeps every significant decimal, so exact splits stay visible).
 */
export function formatAmount(amount: bigint, unit: keyof typeof decimals): string {
  const d = BigInt(decimals[unit])
  const scale = 10n ** d
  const sign = amount < 0n ? '-' : ''
  const abs = amount < 0n ? -amount : amount
  const whole = (abs / scale).toLocaleString('en-US')
  let fraction = (abs % scale).toString().padStart(Number(d), '0')
  if (unit === 'BTT') fraction = fraction.replace(/0+$/, '')
  return `${sign}${whole}${fraction ? `.${fraction}` : ''} ${unit}`
}
