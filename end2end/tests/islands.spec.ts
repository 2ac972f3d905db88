import { expect, test } from "@playwright/test";
import { hydrated, markWindow, rows, shot, windowStillMarked } from "./helpers";

// Pages are server HTML; only islands (search boxes, the claim form, the picker filter) and the
// page-wide behaviours run in the browser, from one WASM module that every page shares.

test("islands hydrate again after a full page navigation, from the cached module", async ({ page }) => {
  const modules: string[] = [];
  page.on("requestfinished", async (request) => {
    if (/\/pkg\/stakeboard\.[0-9a-f]{16}\.wasm$/.test(request.url())) modules.push(request.url());
  });
  await page.goto("/validators");
  await hydrated(page);
  expect(await page.locator("leptos-island").count()).toBe(1);
  // A plain link: a full page load, the islands of the new page hydrate.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Proposals" }).click();
  await expect(page).toHaveURL(/\/proposals$/);
  await hydrated(page);
  await markWindow(page);
  await page.getByRole("searchbox", { name: "Search proposals" }).pressSequentially("v22", { delay: 30 });
  await expect(page).toHaveURL(/q=v22/);
  await expect(page.locator("tr[data-proposal='987']")).toBeVisible();
  expect(await windowStillMarked(page)).toBe(true);
  // Both pages load the same fingerprinted module (immutable: a browser keeps it for a year).
  expect(new Set(modules).size).toBe(1);
});

test("a link loaded in place is one step of history: back returns to the previous state", async ({ page }) => {
  await page.goto("/validators");
  await hydrated(page);
  await markWindow(page);
  await page.locator("a.tab[data-status=jailed]").click();
  await expect(page).toHaveURL(/status=jailed/);
  await expect(rows(page)).toHaveCount(203);
  await page.goBack();
  await expect(page).not.toHaveURL(/status=/);
  await expect(rows(page)).toHaveCount(180);
  expect(await windowStillMarked(page)).toBe(true);
});

test("relative times tick in the browser, whatever the cached page said", async ({ page }) => {
  await page.goto("/validators");
  await hydrated(page);
  const updated = page.locator("time[data-ago]").first();
  const datetime = await updated.getAttribute("datetime");
  expect(datetime).not.toBeNull();
  // Make the page's copy wrong, as an old cached page would be: the clock puts it right.
  await updated.evaluate((el) => (el.textContent = "long ago"));
  await expect(updated).not.toHaveText("long ago", { timeout: 3_000 });
  await expect(updated).toHaveText(/just now|\d+ s ago|\d+ min ago/);
  await shot(page, "validators-islands");
});
