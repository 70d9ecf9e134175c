// Sends a few executions to a running Codify and screenshots its Aspire dashboard with headless Chromium.
// Run through scripts/screenshot-dashboard.sh, which installs the tools, starts ./run.sh and stops it again.
//
// Environment: API_URL (http://localhost:8080), DASHBOARD_URL (http://localhost:18888), OUT_DIR (docs/images),
// PLAYWRIGHT_DIR (a folder whose node_modules holds playwright-core; /tmp/codify-shot), CHROMIUM (/usr/bin/chromium).
import { createRequire } from 'node:module';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';

const api = process.env.API_URL ?? 'http://localhost:8080';
const dashboard = process.env.DASHBOARD_URL ?? 'http://localhost:18888';
const outDir = process.env.OUT_DIR ?? 'docs/images';
const require = createRequire(path.join(process.env.PLAYWRIGHT_DIR ?? '/tmp/codify-shot', 'package.json'));
const { chromium } = require('playwright-core');

// Enough variety for the traces and the statistics: both languages, an error and a time limit.
const executions = [
  { language: 'python', code: 'print("Hello, World!")' },
  { language: 'javascript', code: 'console.log("Hello, World!");' },
  { language: 'python', code: 'import sys\nprint(sum(range(10**6)))\nsys.exit(3)' },
  { language: 'javascript', code: 'for (;;) {}', timeout: 1 },
  { language: 'python', code: 'import numpy as np\nprint(np.arange(12).reshape(3, 4).sum(axis=0))' },
];

for (const body of executions) {
  const response = await fetch(`${api}/api/execute?wait=true`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const record = await response.json();
  console.log(`${body.language}: ${response.status} ${record.status} (${record.wallTimeMs} ms)`);
}

const stats = await (await fetch(`${api}/api/stats`)).json();
console.log(`GET /api/stats, 5m window: ${JSON.stringify(stats.windows['5m'])}`);

await mkdir(outDir, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  // Chromium's own sandbox refuses to start as root; this browser only opens the local dashboard.
  args: ['--no-sandbox'],
});
try {
  // Three resources need less height than the traces.
  const page = await browser.newPage({ viewport: { width: 1440, height: 400 } });

  await page.goto(`${dashboard}/`, { waitUntil: 'networkidle' });
  for (const resource of ['redis', 'executionapi', 'sandbox']) {
    await page.getByText(resource, { exact: true }).first().waitFor({ timeout: 60_000 });
  }
  await until(async () => (await page.getByText('Running', { exact: true }).locator('visible=true').count()) >= 3,
    'all three resources to be Running');
  await dismissBanners(page);
  await shot(page, 'dashboard.png');

  // The API's traces only (each spans the request, the queue and the sandbox): the sandbox's queue polls make their own.
  await page.setViewportSize({ width: 1440, height: 720 });
  await page.goto(`${dashboard}/traces/resource/executionapi`, { waitUntil: 'networkidle' });
  await dismissBanners(page);
  await page.getByText('POST /api/execute', { exact: false }).first().waitFor({ timeout: 60_000 });
  await shot(page, 'dashboard-traces.png');
} finally {
  await browser.close();
}

async function until(condition, what, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

// The dashboard's "unsecured"/"no certificate" warnings (expected for local HTTP use) would take a third of the picture.
async function dismissBanners(page) {
  const dismiss = '.dashboard-message-bar-dismiss';
  await page.locator(dismiss).first().waitFor({ timeout: 5_000 }).catch(() => {}); // none: nothing to dismiss
  await until(async () => {
    await page.evaluate((selector) => document.querySelectorAll(selector).forEach((b) => b.click()), dismiss);
    return (await page.locator(dismiss).count()) === 0;
  }, 'the warnings to close');
}

async function shot(page, name) {
  const file = path.join(outDir, name);
  await page.screenshot({ path: file });
  const { size } = await stat(file);
  console.log(`${file}: ${Math.round(size / 1024)} KB`);
  if (size > 300 * 1024) {
    throw new Error(`${file} is over 300 KB`);
  }
}
