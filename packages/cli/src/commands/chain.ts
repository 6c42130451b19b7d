import { existsSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { allocationAmounts, defaultConfig } from '@btt/core'
import { PayfiError } from '@btt/payfi'
import { connectChain, deployBtt } from '@btt/payfi/evm'
import type { Io } from '../io.js'
import { fileWriteProblem } from '../outputFolder.js'
import { readInputText } from '../readInputFile.js'
import { requireFlags, subcommand } from '../usage.js'

export const chainUsage = `Usage:
  btt chain deploy --rpc <url> --key <file> [--out <file>] [--beneficiaries <file>] [--force]

Deploys the BTT token (fixed 21,000,000 supply minted to the allocation table's holders:
vesting wallets, milestone vaults, addresses) and the batch-payout contract, prints the addresses
and writes them as JSON to --out (default deployment.json; an existing file is kept unless --force).
--key: a file holding one 0x-prefixed hex private key. --beneficiaries: JSON { "<allocation id>":
"<address>", … } (ids from @btt/core's allocation table; {} is allowed); entries not named go
to the deployer.`

/** `btt chain …`; returns the exit code. */
export async function chainCommand(argv: string[], io: Io): Promise<number> {
  const [sub, ...rest] = argv
  subcommand('btt chain', sub, ['deploy'])
  const { values } = parseArgs({
    args: rest,
    options: {
      rpc: { type: 'string' },
      key: { type: 'string' },
      out: { type: 'string', default: 'deployment.json' },
      beneficiaries: { type: 'string' },
      force: { type: 'boolean', default: false },
    },
  })
  requireFlags('btt chain deploy', values, ['rpc', 'key'])
  const out = resolve(values.out)
  // refuse before anything is sent: a deployment record is not overwritten by accident
  if (existsSync(out) && !values.force)
    throw new PayfiError('PAYFI_DEPLOYMENT_EXISTS', `${out} exists; pass --force to replace it.`, {
      details: { file: out },
    })
  // even with --force: never over an input (the key!) nor onto a folder, found only after deploying
  const input = [values.key, values.beneficiaries].find((f) => f && resolve(f) === out)
  if (input || (existsSync(out) && statSync(out).isDirectory()) || !isFolder(dirname(out)))
    throw new PayfiError(
      'PAYFI_INVALID_ARGUMENT',
      input
        ? `--out ${out} is an input; choose another file.`
        : `--out ${out} is a folder or its folder does not exist.`,
      { details: { file: out } },
    )
  const unwritable = fileWriteProblem(out)
  if (unwritable)
    throw new PayfiError(
      'PAYFI_INVALID_ARGUMENT',
      `--out ${out} cannot be written: ${unwritable}`,
      {
        details: { file: out },
      },
    )
  const privateKey = readKey(values.key)
  const beneficiaries = values.beneficiaries ? readBeneficiaries(values.beneficiaries) : undefined
  const chain = await connectChain({ rpcUrl: values.rpc, privateKey })
  try {
    const deployment = await deployBtt(chain, beneficiaries ? { beneficiaries } : {})
    const tmp = `${out}.${process.pid}.tmp`
    writeFileSync(tmp, `${JSON.stringify(deployment, null, 2)}\n`)
    renameSync(tmp, out)
    if (io.json) io.out.write(`${JSON.stringify(deployment)}\n`)
    else {
      io.out.write(`chain ${deployment.chainId}, deployer ${deployment.deployer}\n`)
      io.out.write(`BTT token     ${deployment.token}\n`)
      io.out.write(`batch payout  ${deployment.batchPayout}\n`)
      for (const a of deployment.allocation)
        io.out.write(`  ${a.id.padEnd(32)} ${a.holder.padEnd(16)} ${a.address}\n`)
      io.out.write(`written to ${out}\n`)
    }
    return 0
  } finally {
    chain.provider.destroy()
  }
}

function readKey(file: string): string {
  let text: string
  try {
    text = readInputText(file).trim()
  } catch (error) {
    throw new PayfiError('PAYFI_INVALID_KEY', `Cannot read the key file ${file}.`, {
      cause: error,
      details: { file },
    })
  }
  const key = text.startsWith('0x') ? text : `0x${text}`
  if (!/^0x[0-9a-fA-F]{64}$/.test(key))
    throw new PayfiError(
      'PAYFI_INVALID_KEY',
      `${file} does not hold one 32-byte hex private key.`,
      {
        details: { file },
      },
    )
  return key
}

function readBeneficiaries(file: string): Record<string, string> {
  let parsed: unknown
  try {
    parsed = JSON.parse(readInputText(file))
  } catch (error) {
    throw new PayfiError('PAYFI_INVALID_ARGUMENT', `Cannot read ${file} as JSON.`, {
      cause: error,
      details: { file },
    })
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new PayfiError(
      'PAYFI_INVALID_ARGUMENT',
      `${file} must be a JSON object mapping allocation ids to 0x addresses.`,
      { details: { file } },
    )
  // {} is fine (every entry goes to the deployer); a misspelt id would silently do the same
  const ids = allocationAmounts(defaultConfig).map((e) => e.id)
  const entries = Object.entries(parsed)
  const unknown = entries.filter(([k]) => !ids.includes(k)).map(([k]) => k)
  const bad = entries.filter(([, v]) => typeof v !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(v))
  if (unknown.length || bad.length)
    throw new PayfiError(
      'PAYFI_INVALID_ARGUMENT',
      `${file} must map allocation ids to 0x addresses${unknown.length ? `; not an allocation id: ${unknown.join(', ')} (ids: ${ids.join(', ')})` : ''}.`,
      { details: { file, unknown, invalid: bad.map(([k]) => k) } },
    )
  return Object.fromEntries(entries) as Record<string, string>
}

const isFolder = (path: string) => existsSync(path) && statSync(path).isDirectory()
