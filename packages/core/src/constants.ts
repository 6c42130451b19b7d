/** Decimals of the BTT token: 1 token = 10^18 base units. */
export const TOKEN_DECIMALS = 18

/** One token in base units (10^18). */
export const ONE_TOKEN = 10n ** 18n

/** Fixed supply: 21,000,000 tokens, in base units. */
export const TOTAL_SUPPLY = 21_000_000n * ONE_TOKEN

/** Seconds in a day. */
export const DAY = 86_400

/** Seconds in a mean Gregorian year (365.2425 days): 31,556,952. */
export const YEAR = 31_556_952

/** Seconds in a month: one twelfth of a mean Gregorian year, 2,629,746. */
export const MONTH = 2_629_746

/** Denominator of basis points: 10,000 bps = 100%. */
export const BPS = 10_000n

/** Denominator of the fixed-point factors used by the dividend formula: 1,000,000 = 1.0. */
export const PPM = 1_000_000n
