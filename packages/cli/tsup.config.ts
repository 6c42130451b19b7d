import { dirname } from 'node:path'
import { build, defineConfig } from 'tsup'
import { base } from '../../tsup.base.js'

export default defineConfig({
  ...base,
  entry: ['src/index.ts', 'src/bin.ts'],
  dts: { entry: 'src/index.ts' },
  // `btt deid` also self-contained (its workspace packages and zod inlined, zod's
  // error messages in English only): loading it takes fewer files and less code than resolving
  // @btt/connectors/deid, @btt/core, @btt/compute and zod's ~170 modules, which was most of the
  // command's start-up. commands.ts loads it when the CLI runs built.
  async onSuccess() {
    // its worker threads' script: loads dist/deid-command.cjs through the code cache
    await build({
      config: false,
      entry: { 'deid-worker': 'src/commands/deidWorkerLoader.ts' },
      format: ['cjs'],
      platform: 'node',
      target: 'es2022',
      dts: false,
      sourcemap: true,
      clean: false,
      silent: true,
      shims: true, // import.meta.url
    })
    // `btt deid` once more as one CommonJS file: commands.ts runs it through a V8 code cache
    // (codeCache.ts), which Node 20 offers for scripts only, not for ES modules
    await build({
      config: false,
      entry: { 'deid-command': 'src/commands/deid.ts' },
      format: ['cjs'],
      platform: 'node',
      target: 'es2022',
      dts: false,
      sourcemap: true,
      clean: false,
      silent: true,
      shims: true, // import.meta.url
      noExternal: [/^@btt\//, 'zod'],
      external: ['better-sqlite3'],
      esbuildOptions(o) {
        o.conditions = ['@btt/source']
        // standardFile.ts finds @btt/connectors' folder (its PS3.15 table) with it
        o.define = { ...o.define, 'import.meta.resolve': '__bttImportMetaResolve' }
        o.banner = {
          js: "var __bttImportMetaResolve = (s) => require('node:url').pathToFileURL(require.resolve(s)).href;",
        }
      },
      esbuildPlugins: [zodInEnglishOnly],
    })
  },
})

/** zod's locales module with only `en` (the default; nothing here selects another locale). */
const zodInEnglishOnly = {
  name: 'zod-in-english-only',
  setup(b: {
    onResolve: (
      o: { filter: RegExp },
      f: (a: { importer: string; resolveDir: string }) => unknown,
    ) => void
    onLoad: (o: { filter: RegExp; namespace: string }, f: (a: { path: string }) => unknown) => void
  }) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (a) =>
      a.importer.includes('/zod/') ? { path: dirname(a.importer), namespace: 'zod-en' } : undefined,
    )
    b.onLoad({ filter: /.*/, namespace: 'zod-en' }, (a) => ({
      contents: "export { default as en } from '../locales/en.js'",
      resolveDir: a.path,
    }))
  },
}
