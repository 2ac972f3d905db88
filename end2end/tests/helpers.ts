import { expect, Page } from "@playwright/test";

export const devchain = process.env.DEVCHAIN_URL ?? "http://127.0.0.1:1317";

/** Waits until the wasm has hydrated the page: before that, clicks are plain navigations. */
export async function hydrated(page: Page) {
  await expect(page.locator("body[data-hydrated]")).toHaveCount(1, { timeout: 20_000 });
}

export function rows(page: Page) {
  return page.locator("[data-testid=validators-table] tbody tr:has(a)");
}

/** Screenshots for people to look at; not compared. */
export async function shot(page: Page, name: string) {
  await page.screenshot({ path: `screenshots/${name}.png`, fullPage: true });
}

/** Marks the window, so a test can tell an in-page update from a full page load. */
export async function markWindow(page: Page) {
  await page.evaluate(() => ((window as unknown as { __stakeboardMark: number }).__stakeboardMark = 1));
}

export async function windowStillMarked(page: Page) {
  return page.evaluate(() => (window as unknown as { __stakeboardMark?: number }).__stakeboardMark === 1);
}
