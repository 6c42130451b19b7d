import type { JsonRpcProvider, Log } from 'ethers'

/**
 * `eth_getLogs` over `[fromBlock, toBlock]` in windows of `step` blocks (nodes and providers limit
 * the range of one call). `newestFirst` walks back from `toBlock` and stops at the first window
 * with a match (finding one batch's event); otherwise every window is read, oldest first.
 */
export async function getLogsPaged(
  provider: JsonRpcProvider,
  filter: { address: string; topics: (string | null)[] },
  range: { fromBlock: number; toBlock: number; step: number; newestFirst?: boolean },
): Promise<Log[]> {
  const { fromBlock, toBlock, step } = range
  const out: Log[] = []
  if (range.newestFirst) {
    for (let hi = toBlock; hi >= fromBlock; hi -= step) {
      const lo = Math.max(fromBlock, hi - step + 1)
      const logs = await provider.getLogs({ ...filter, fromBlock: lo, toBlock: hi })
      if (logs.length > 0) return logs
    }
    return out
  }
  for (let lo = fromBlock; lo <= toBlock; lo += step)
    out.push(
      ...(await provider.getLogs({
        ...filter,
        fromBlock: lo,
        toBlock: Math.min(toBlock, lo + step - 1),
      })),
    )
  return out
}
