import { readFileSync } from 'node:fs'
import { expect, test } from 'vitest'
import { artifactsFile, compileContracts } from '../scripts/compileContracts.js'

test('the committed artifacts are what solc-js makes of the committed sources (recompiled here)', () => {
  const committed = JSON.parse(readFileSync(artifactsFile, 'utf8'))
  const fresh = JSON.parse(JSON.stringify(compileContracts()))
  expect(Object.keys(fresh.contracts).sort()).toEqual([
    'AssetRegistry',
    'AssetToken',
    'IBalanceCheckpoints',
    'IIdentityCheck',
    'IInitialMint',
    'IdentityRegistry',
    'IncomeDistributor',
    'SecondaryMarket',
    'SettlementToken',
    'TransferRestrictions',
  ])
  expect(fresh.sources).toEqual(committed.sources)
  expect(fresh.compiler).toEqual(committed.compiler)
  for (const name of Object.keys(fresh.contracts)) {
    expect(fresh.contracts[name].bytecode, name).toBe(committed.contracts[name].bytecode)
    expect(fresh.contracts[name].abi, name).toEqual(committed.contracts[name].abi)
  }
}, 120_000)
