import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, Page, Response, chromium } from 'playwright-core';
import { DEMO_PASSWORD, TestApp, startTestApp } from './test-app';

export const SCREENSHOTS = join(__dirname, '..', '..', 'test-artifacts', 'screenshots');

/** Debian's Chromium, never a downloaded browser (STACK.md). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-component-update', '--disable-sync', '--disable-quic'],
  });
}

export interface BrowserTest {
  t: TestApp;
  browser: Browser;
  baseUrl: string;
  /** A fresh context (cookies) signed in as `username`, with its first page. */
  signIn: (username: string, options?: { lang?: 'fr' | 'en' }) => Promise<{ context: BrowserContext; page: Page }>;
  close: () => Promise<void>;
}

/** One app and one browser for a whole test file (`env` as for startTestApp, e.g. the live shortage demo). */
export async function startBrowserTest(env: Record<string, string> = {}): Promise<BrowserTest> {
  const t = await startTestApp(env);
  const baseUrl = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
  const browser = await launchChromium();
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    t,
    browser,
    baseUrl,
    signIn: async (username, options = {}) => {
      const context = await browser.newContext({ baseURL: baseUrl, locale: options.lang === 'en' ? 'en-GB' : 'fr-FR' });
      const page = await context.newPage();
      await page.goto(options.lang ? `/connexion?lang=${options.lang}` : '/connexion');
      await page.getByLabel(options.lang === 'en' ? 'Username' : "Nom d'utilisateur").fill(username);
      await page.getByLabel(options.lang === 'en' ? 'Password' : 'Mot de passe').fill(DEMO_PASSWORD);
      await clickAndWait(page, () => page.getByRole('button', { name: options.lang === 'en' ? 'Sign in' : 'Se connecter' }).click());
      return { context, page };
    },
    close: async () => {
      await browser.close();
      await t.close();
    },
  };
}

/** Clicks and waits for the navigation it causes together, so the test does not race the page. */
export async function clickAndWait(page: Page, act: () => Promise<void>): Promise<Response | null> {
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), act()]);
  return response;
}

/** Waits for the htmx (or fetch) answer of a URL part while acting. */
export async function actAndWaitFor(page: Page, urlPart: string, act: () => Promise<void>): Promise<Response> {
  const [response] = await Promise.all([page.waitForResponse((r) => r.url().includes(urlPart)), act()]);
  return response;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
