import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createApiKey, createCoordinator, verifyEpoch } from '@btt/compute/network'
import { afterAll, expect, test } from 'vitest'
import { runContributorNode } from './contributorNode.js'

const dirs: string[] = []
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'btt-example-node-'))
  dirs.push(d)
  return d
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

test('with no coordinator given: one started in process, the job served and signed by this node, its earnings in the statement', async () => {
  const dir = tempDir()
  const lines: string[] = []
  const node = await runContributorNode({ dir, say: (l) => lines.push(l) })
  await node.close()
  const text = lines.join('\n')
  expect(statSync(join(dir, 'node.key')).mode & 0o777).toBe(0o600)
  expect(node.receipt?.signed.receipt.node.toLowerCase()).toBe(node.address.toLowerCase())
  expect(text).toContain(`signer recovered from the signature: ${node.address} (this node)`)
  expect(text).toMatch(/served job [0-9a-f]+: nodule \d+\.\d%/)
  // the statement on disk recomputes from the receipts on disk, and pays this node
  const statement = verifyEpoch(
    readFileSync(join(dir, 'statement.json'), 'utf8'),
    readFileSync(join(dir, 'receipts.json'), 'utf8'),
  )
  const mine = statement.payout.nodes.find(
    (n) => n.address.toLowerCase() === node.address.toLowerCase(),
  )
  expect(BigInt(mine?.revenueShare ?? 0)).toBeGreaterThan(0n)
  expect(BigInt(mine?.emission ?? 0)).toBeGreaterThan(0n)
  expect(node.earnings?.revenueShare).toBe(mine?.revenueShare)
  expect(text).toMatch(/this node: 1 paid job\(s\), .* earns \d+\.\d\d CNY \+ [0-9.]+ BTT/)
  expect(text).toContain(': identical')
})

test('a key already in the folder is reused, never replaced', async () => {
  const dir = tempDir()
  const first = await runContributorNode({ dir })
  await first.close()
  const key = readFileSync(join(dir, 'node.key'), 'utf8')
  const lines: string[] = []
  const second = await runContributorNode({ dir, say: (l) => lines.push(l) })
  await second.close()
  expect(second.address).toBe(first.address)
  expect(readFileSync(join(dir, 'node.key'), 'utf8')).toBe(key)
  expect(lines.join('\n')).toContain('node key read')
})

test('joining a coordinator given by URL: registered there, and it routes a clinic’s job to this node', async () => {
  const coordinator = await createCoordinator({ verifyFraction: 0 })
  try {
    const apiKey = await createApiKey(coordinator.store, 'clinic_other')
    const lines: string[] = []
    const node = await runContributorNode({
      dir: tempDir(),
      coordinator: coordinator.url,
      apiKey,
      region: 'cn-west',
      say: (l) => lines.push(l),
    })
    await node.close()
    const registered = await coordinator.store.nodes()
    expect(registered.map((n) => [n.address.toLowerCase(), n.capabilities.region])).toEqual([
      [node.address.toLowerCase(), 'cn-west'],
    ])
    expect(node.receipt?.signed.receipt.node.toLowerCase()).toBe(node.address.toLowerCase())
    expect(node.earnings).toBeUndefined()
    expect(lines.join('\n')).toContain(`joining the coordinator ${coordinator.url}`)
  } finally {
    await coordinator.close()
  }
})
