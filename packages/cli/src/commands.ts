import type { Io } from './io.js'

/** A command of `btt`: its name, one line for `btt --help`, and its module, loaded only when run. */
export type Command = {
  name: string
  summary: string
  load: () => Promise<{ usage: string; run: (argv: string[], io: Io) => number | Promise<number> }>
}

// Each command's module is imported only when that command runs, so `btt --help` and
// `btt deid` do not load onnxruntime, the simulator or the chain libraries.
export const commands: readonly Command[] = [
  {
    name: 'sim',
    summary: 'run or check a reward-simulator scenario (report.html, CSVs)',
    load: async () => {
      const m = await import('./commands/sim.js')
      return { usage: m.simUsage, run: m.simCommand }
    },
  },
  {
    name: 'analyze',
    summary: 'run an imaging model on DICOM studies (JSON, DICOM SR/SEG/SC)',
    load: async () => {
      const m = await import('./commands/analyze.js')
      return { usage: m.analyzeUsage, run: m.analyzeCommand }
    },
  },
  {
    name: 'demo-study',
    summary: 'write two synthetic chest studies to try the other commands on',
    load: async () => {
      const m = await import('./commands/demoStudy.js')
      return { usage: m.demoStudyUsage, run: m.demoStudyCommand }
    },
  },
  {
    name: 'deid',
    summary: 'de-identify DICOM files (PS3.15 Basic Profile and options)',
    // the usage alone for `btt deid --help`; the de-identification code only when it runs,
    // its worker threads started first so that they load it meanwhile
    load: async () => {
      const { deidBundle, deidUsage, earlyWorkerCount, startWorkersEarly } = await import(
        './commands/deidUsage.js'
      )
      return {
        usage: deidUsage,
        run: async (argv, io) => {
          const count = earlyWorkerCount(argv)
          const bundle = deidBundle()
          // on several threads, V8's optimising compiler waits longer (v8Tiering.ts): set before
          // the code loads and the workers start, with a code cache of its own
          const tiering = count && bundle ? await import('./commands/v8Tiering.js') : undefined
          tiering?.delayOptimisation()
          const workers = startWorkersEarly(count, tiering?.delayedTiering.name)
          if (!bundle) return (await import('./commands/deid.js')).deidCommand(argv, io, workers)
          const { requireCached } = await import('./commands/codeCache.js')
          const m = requireCached(bundle, tiering?.delayedTiering.name)
          try {
            return await (m.exports as typeof import('./commands/deid.js')).deidCommand(
              argv,
              io,
              workers,
            )
          } finally {
            m.save()
          }
        },
      }
    },
  },
  {
    name: 'pacs',
    summary: 'watch a PACS (DICOMweb or DIMSE), analyse new studies, store results back',
    load: async () => {
      const m = await import('./commands/pacs.js')
      return { usage: m.pacsUsage, run: m.pacsCommand }
    },
  },
  {
    name: 'chain',
    summary: 'deploy the BTT token, vesting wallets and batch payouts to an EVM chain',
    load: async () => {
      const m = await import('./commands/chain.js')
      return { usage: m.chainUsage, run: m.chainCommand }
    },
  },
  {
    name: 'payfi',
    summary:
      'serve the PayFi REST API (payments, ledger, webhooks); create API keys; reconcile payouts',
    load: async () => {
      const m = await import('./commands/payfi.js')
      return { usage: m.payfiUsage, run: m.payfiCommand }
    },
  },
  {
    name: 'coordinator',
    summary:
      'run the compute network coordinator; clinic API keys; epoch statements and verify-epoch',
    load: async () => {
      const m = await import('./commands/coordinator.js')
      return { usage: m.coordinatorUsage, run: m.coordinatorCommand }
    },
  },
  {
    name: 'node',
    summary: 'run a contributor node that runs jobs for a coordinator and signs receipts',
    load: async () => {
      const m = await import('./commands/node.js')
      return { usage: m.nodeUsage, run: m.nodeCommand }
    },
  },
  {
    name: 'tokenize',
    summary:
      'tokenize healthcare assets: register, mint, verify investors, trade, revalue, distribute',
    load: async () => {
      const m = await import('./commands/tokenize.js')
      return { usage: m.tokenizeUsage, run: m.tokenizeCommand }
    },
  },
  {
    name: 'ehr',
    summary:
      'serve the EHR plugin: CDS Hooks, the SMART findings app, the patient incentive intake',
    load: async () => {
      const m = await import('./commands/ehr.js')
      return { usage: m.ehrUsage, run: m.ehrCommand }
    },
  },
]
