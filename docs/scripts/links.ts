// Link checks for the repository's markdown and the generated API reference (docs/api).
// Offline by design: a relative link must name a file or folder that exists and, where it has
// an anchor, a heading or id in that file; an external URL is only checked for its syntax.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, extname, join, relative, resolve, sep } from 'node:path'

/** One link that does not resolve: where it is, what it says, and why it fails. */
export interface BrokenLink {
  file: string
  link: string
  reason: string
}

const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', '.git', 'out', 'coverage', '.ci'])
const EXTERNAL = /^[a-z][a-z0-9+.-]*:/i
const LINE_ANCHOR = /^L\d+(?:C\d+)?(?:-L\d+(?:C\d+)?)?$/

/** Every file under `root` whose name ends with one of `extensions`, skipping build output. */
export function listFiles(root: string, extensions: string[], skip: string[] = []): string[] {
  const skipped = new Set(skip.map((path) => resolve(root, path)))
  const found: string[] = []
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name)
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name) && !skipped.has(path)) walk(path)
      } else if (extensions.some((extension) => entry.name.endsWith(extension))) {
        found.push(path)
      }
    }
  }
  walk(resolve(root))
  return found.sort()
}

/** Why an external URL is malformed, or undefined when it parses with an expected scheme. */
export function externalProblem(link: string): string | undefined {
  let url: URL
  try {
    url = new URL(link)
  } catch {
    return 'not a valid URL'
  }
  if (url.protocol === 'mailto:') return url.pathname.includes('@') ? undefined : 'no address'
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `unexpected ${url.protocol}`
  if (!url.hostname.includes('.') && url.hostname !== 'localhost') return 'no host name'
  return undefined
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // links and images keep their text
    .replace(/<[^>]+>/g, '') // inline HTML
    .replace(/[`*_~]/g, (mark) => (mark === '_' ? '_' : ''))
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, '')
    .replace(/\s/g, '-')
}

/** Markdown without its fenced code blocks (line by line, as CommonMark reads them). */
function withoutFences(markdown: string): string {
  const kept: string[] = []
  let fence: string | undefined
  for (const line of markdown.split('\n')) {
    const opening = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1]
    if (fence === undefined && opening !== undefined) fence = opening
    else if (
      fence !== undefined &&
      line.trim().startsWith(fence) &&
      line.trim().replace(/[`~]/g, '') === ''
    )
      fence = undefined
    else if (fence === undefined) kept.push(line)
  }
  return kept.join('\n')
}

/** Markdown without code blocks and inline code spans, where links are not links. */
function withoutCode(markdown: string): string {
  return withoutFences(markdown).replace(/(`+)[\s\S]*?\1/g, '')
}

/** The anchors a markdown file offers: its headings (numbered on repeats) and HTML ids. */
export function markdownAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>()
  const seen = new Map<string, number>()
  const text = withoutFences(markdown)
  for (const match of text.matchAll(/^ {0,3}#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) {
    const base = slug(match[1] ?? '')
    const count = seen.get(base) ?? 0
    seen.set(base, count + 1)
    anchors.add(count === 0 ? base : `${base}-${count}`)
  }
  for (const match of markdown.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(match[1] ?? '')
  return anchors
}

/** The link targets of a markdown file: inline links and images, autolinks, definitions, hrefs. */
export function markdownLinks(markdown: string): string[] {
  const text = withoutCode(markdown)
  const links: string[] = []
  for (const match of text.matchAll(
    /!?\[(?:[^\][]|\[[^\]]*\])*\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)/g,
  )) {
    links.push(match[1] ?? '')
  }
  for (const match of text.matchAll(/<((?:https?|mailto):[^>\s]+)>/g)) links.push(match[1] ?? '')
  for (const match of text.matchAll(/^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)) {
    links.push(match[1] ?? '')
  }
  for (const match of text.matchAll(/\b(?:href|src)="([^"]*)"/g)) links.push(match[1] ?? '')
  return links
}

function decodeEntities(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
}

/** The anchors an HTML page offers: every `id` and `name` attribute. */
export function htmlAnchors(html: string): Set<string> {
  const anchors = new Set<string>()
  for (const match of html.matchAll(/\s(?:id|name)="([^"]*)"/g)) {
    anchors.add(decodeEntities(match[1] ?? ''))
  }
  return anchors
}

/** The link targets of an HTML page: every `href` and `src` attribute (`""`, the page itself, left out). */
export function htmlLinks(html: string): string[] {
  const text = html.replace(/<script\b[\s\S]*?<\/script>/g, '')
  return [...text.matchAll(/\s(?:href|src)="([^"]*)"/g)]
    .map((m) => decodeEntities(m[1] ?? ''))
    .filter((link) => link !== '')
}

type AnchorReader = (file: string) => Set<string> | undefined

/** Checks one link found in `file`; `anchorsOf` gives a target's anchors (undefined: any goes). */
function checkLink(root: string, file: string, link: string, anchorsOf: AnchorReader) {
  if (link === '') return 'empty link'
  if (EXTERNAL.test(link)) return externalProblem(link)
  const [pathPart = '', anchor] = link.split('#', 2)
  const path = decodeURIComponent(pathPart.split('?')[0] ?? '')
  const target =
    path === '' ? file : path.startsWith('/') ? join(root, path) : join(dirname(file), path)
  if (!resolve(target).startsWith(resolve(root) + sep) && resolve(target) !== resolve(root)) {
    return 'points outside the repository'
  }
  if (!existsSync(target)) return 'no such file'
  if (anchor === undefined || anchor === '') return undefined
  if (statSync(target).isDirectory()) return 'anchor on a folder'
  const anchors = anchorsOf(target)
  if (anchors === undefined) {
    return LINE_ANCHOR.test(anchor) ? undefined : `anchor #${anchor} on a file without anchors`
  }
  return anchors.has(decodeURIComponent(anchor)) ? undefined : `no anchor #${anchor}`
}

function cachedAnchors(): AnchorReader {
  const cache = new Map<string, Set<string> | undefined>()
  return (file) => {
    if (!cache.has(file)) {
      const extension = extname(file).toLowerCase()
      const text = () => readFileSync(file, 'utf8')
      cache.set(
        file,
        extension === '.md'
          ? markdownAnchors(text())
          : extension === '.html' || extension === '.svg'
            ? htmlAnchors(text())
            : undefined,
      )
    }
    return cache.get(file)
  }
}

function checkFiles(root: string, files: string[], linksOf: (text: string) => string[]) {
  const broken: BrokenLink[] = []
  const anchorsOf = cachedAnchors()
  for (const file of files) {
    for (const link of new Set(linksOf(readFileSync(file, 'utf8')))) {
      const reason = checkLink(root, file, link, anchorsOf)
      if (reason !== undefined) broken.push({ file: relative(root, file), link, reason })
    }
  }
  return broken
}

/** Checks every markdown file under `root` (build output, `node_modules` and `skip` left out). */
export function checkMarkdown(root: string, skip: string[] = []): BrokenLink[] {
  return checkFiles(root, listFiles(root, ['.md'], skip), markdownLinks)
}

/** Checks every HTML page under `folder` (the generated API reference) against `folder` itself. */
export function checkHtml(folder: string): BrokenLink[] {
  return checkFiles(folder, listFiles(folder, ['.html']), htmlLinks)
}
