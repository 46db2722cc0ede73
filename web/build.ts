/**
 * Builds the web pages in memory: esbuild bundles each page's TypeScript (and the QR code library) into one
 * ES module, the stylesheet into one CSS file, both named by content hash so they can be cached forever; the
 * HTML pages are the shared layout around each page's body (web/pages/*.html) and are revalidated on
 * every visit. Nothing is written to disk unless `writeSite` is called (e.g. for an S3 upload), and no
 * build output is committed: `createStaticSite` (local/static-site.ts) calls `buildSite` at start.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const WEB_ROOT = dirname(fileURLToPath(import.meta.url));

export interface SiteFile {
  /** The URL path the file is served at. */
  readonly path: string;
  readonly body: Buffer;
  readonly contentType: string;
  /** Content-hashed asset: may be cached for a year. */
  readonly immutable: boolean;
}

export interface PageSpec {
  readonly name:
    | 'intake'
    | 'status'
    | 'verify'
    | 'console'
    | 'dashboard'
    | 'platform'
    | 'api'
    | 'transparency'
    | 'my-data';
  /** Served at this path (the status page at /requests/{id}). */
  readonly file: string;
  readonly titleKey: string;
  readonly title: string;
  readonly nav?:
    | 'apply'
    | 'verify'
    | 'console'
    | 'dashboard'
    | 'platform'
    | 'api'
    | 'transparency'
    | 'myData';
}

export const PAGES: readonly PageSpec[] = [
  { name: 'intake', file: '/index.html', titleKey: 'intake.title', title: '申请证明', nav: 'apply' },
  { name: 'status', file: '/status.html', titleKey: 'status.title', title: '申请进度' },
  { name: 'verify', file: '/verify.html', titleKey: 'verify.title', title: '查验证明', nav: 'verify' },
  { name: 'console', file: '/console.html', titleKey: 'console.title', title: '民警工作台', nav: 'console' },
  {
    name: 'dashboard',
    file: '/dashboard.html',
    titleKey: 'dashboard.title',
    title: '监督看板',
    nav: 'dashboard',
  },
  {
    name: 'platform',
    file: '/platform.html',
    titleKey: 'platform.title',
    title: '查询 · 监督 · 举报',
    nav: 'platform',
  },
  { name: 'api', file: '/api.html', titleKey: 'api.title', title: '接口文档', nav: 'api' },
  {
    name: 'transparency',
    file: '/transparency.html',
    titleKey: 'transparency.title',
    title: '违规索要证明公示',
    nav: 'transparency',
  },
  { name: 'my-data', file: '/my-data.html', titleKey: 'myData.title', title: '我的数据', nav: 'myData' },
];

/** The HTML file a page path is served from, or undefined when the path is no page. */
export function pageFileForPath(path: string): string | undefined {
  if (path === '/' || path === '/index.html') return '/index.html';
  if (/^\/requests\/[A-Za-z0-9_-]{1,128}\/?$/.test(path)) return '/status.html';
  for (const name of ['verify', 'console', 'dashboard', 'platform', 'api', 'transparency', 'my-data']) {
    if (path === `/${name}` || path === `/${name}/` || path === `/${name}.html`) return `/${name}.html`;
  }
  return undefined;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.map': 'application/json; charset=utf-8',
};

function contentTypeOf(path: string): string {
  const extension = path.slice(path.lastIndexOf('.'));
  return CONTENT_TYPES[extension] ?? 'application/octet-stream';
}

function hash(body: Buffer | string): string {
  return createHash('sha256').update(body).digest('base64url').slice(0, 10);
}

const NAV: readonly { key: NonNullable<PageSpec['nav']>; href: string; text: string }[] = [
  { key: 'apply', href: '/', text: '申请证明' },
  { key: 'verify', href: '/verify', text: '查验证明' },
  { key: 'myData', href: '/my-data', text: '我的数据' },
  { key: 'transparency', href: '/transparency', text: '违规索要公示' },
  { key: 'console', href: '/console', text: '民警工作台' },
  { key: 'dashboard', href: '/dashboard', text: '监督看板' },
  { key: 'platform', href: '/platform', text: '查询监督举报' },
  { key: 'api', href: '/api', text: '接口文档' },
];

function layout(page: PageSpec, body: string, script: string, style: string, icon: string): string {
  const nav = NAV.map(
    (item) =>
      `<li><a href="${item.href}" data-t="nav.${item.key}"${
        page.nav === item.key ? ' aria-current="page"' : ''
      }>${item.text}</a></li>`,
  ).join('');
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title data-t="${page.titleKey}">${page.title} · 证明通</title>
<link rel="icon" href="${icon}" type="image/svg+xml">
<link rel="stylesheet" href="${style}">
<script type="module" src="${script}"></script>
</head>
<body data-page="${page.name}">
<a class="skip-link" href="#main" data-t="skip">跳到主要内容</a>
<header class="site-header">
<div class="wrap header-row">
<a class="brand" href="/"><span class="brand-mark" aria-hidden="true">证</span><span data-t="site.name">证明通</span></a>
<nav aria-label="主导航" data-t-attr="aria-label=nav.label"><ul class="nav-list">${nav}</ul></nav>
<button type="button" id="lang-toggle" class="lang-toggle" data-t="lang.switch" data-t-attr="aria-label=lang.switchLabel" aria-label="Switch to English">English</button>
</div>
</header>
<main id="main" class="wrap" tabindex="-1">
${body.trim()}
</main>
<footer class="site-footer"><div class="wrap"><p data-t="site.tagline">让信息多跑路，群众少跑腿</p><p data-t="footer.text">依据吉林省公安厅等11部门关于改进公安派出所出具证明有关事项的通知（2016）。</p></div></footer>
<div id="announcer" class="visually-hidden" role="status" aria-live="polite"></div>
</body>
</html>
`;
}

export interface BuildOptions {
  /** Minify JS and CSS (default true). */
  readonly minify?: boolean;
  /** Include source maps as separate files (default false). */
  readonly sourcemap?: boolean;
}

/** Builds every page and asset; returns them keyed by URL path. Takes a few hundred milliseconds. */
export async function buildSite(options: BuildOptions = {}): Promise<Map<string, SiteFile>> {
  const minify = options.minify ?? true;
  const result = await build({
    absWorkingDir: WEB_ROOT,
    entryPoints: [
      ...PAGES.map((page) => ({ in: join(WEB_ROOT, 'src/pages', `${page.name}.ts`), out: page.name })),
      { in: join(WEB_ROOT, 'styles/site.css'), out: 'site' },
    ],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2020', 'chrome100', 'safari15', 'firefox100'],
    minify,
    sourcemap: options.sourcemap ? 'external' : false,
    legalComments: 'none',
    write: false,
    outdir: join(WEB_ROOT, '.out'),
    entryNames: '[name]-[hash]',
    metafile: true,
    logLevel: 'silent',
    charset: 'utf8',
  });
  const files = new Map<string, SiteFile>();
  const add = (path: string, body: Buffer, immutable: boolean) =>
    files.set(path, { path, body, contentType: contentTypeOf(path), immutable });

  const outputs = new Map<string, string>();
  for (const file of result.outputFiles) {
    const name = basename(file.path);
    add(`/assets/${name}`, Buffer.from(file.contents), true);
    outputs.set(name.replace(/-[A-Z0-9]+\.(js|css|js\.map|css\.map)$/i, '.$1'), `/assets/${name}`);
  }
  const iconSource = await readFile(join(WEB_ROOT, 'styles/icon.svg'));
  const icon = `/assets/icon-${hash(iconSource)}.svg`;
  add(icon, iconSource, true);
  const style = outputs.get('site.css');
  if (!style) throw new TypeError('the stylesheet was not built');
  for (const page of PAGES) {
    const script = outputs.get(`${page.name}.js`);
    if (!script) throw new TypeError(`the script of page ${page.name} was not built`);
    const body = await readFile(join(WEB_ROOT, 'pages', `${page.name}.html`), 'utf8');
    add(page.file, Buffer.from(layout(page, body, script, style, icon)), false);
  }
  return files;
}

/** Writes the built site to a folder (for an S3 bucket behind CloudFront). */
export async function writeSite(outDir: string, options: BuildOptions = {}): Promise<string[]> {
  const files = await buildSite(options);
  const written: string[] = [];
  for (const file of files.values()) {
    const target = join(outDir, file.path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, file.body);
    written.push(target);
  }
  return written;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const outDir = process.argv[2] ?? 'dist/web';
  const written = await writeSite(outDir);
  console.log(`wrote ${written.length} files to ${outDir}`);
}
