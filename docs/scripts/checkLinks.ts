// `pnpm docs:links`: checks every markdown file in the repository and, once `pnpm docs` has
// written it, the API reference in docs/api. Offline; exits 1 and lists each broken link.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { type BrokenLink, checkHtml, checkMarkdown } from './links.js'

const root = join(import.meta.dirname, '..', '..')
const api = join(root, 'docs', 'api')
const started = performance.now()
const broken: BrokenLink[] = checkMarkdown(root, ['docs/api'])
if (existsSync(api))
  broken.push(...checkHtml(api).map((b) => ({ ...b, file: `docs/api/${b.file}` })))
else console.log('docs/api is missing: run `pnpm docs` to check the API reference too')
for (const { file, link, reason } of broken) console.log(`${file}: ${link} — ${reason}`)
const seconds = ((performance.now() - started) / 1000).toFixed(1)
console.log(`${broken.length} broken link(s) (${seconds} s)`)
process.exitCode = broken.length === 0 ? 0 : 1
