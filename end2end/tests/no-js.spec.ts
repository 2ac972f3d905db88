import { expect, test } from "@playwright/test";
import { rows, shot } from "./helpers";

// This project runs with JavaScript disabled: everything here is server-rendered HTML.

test("the table is there without JavaScript", async ({ page }) => {
  await page.goto("/validators");
  await expect(rows(page)).toHaveCount(180);
  await expect(page.locator("body[data-hydrated]")).toHaveCount(0);
  await shot(page, "no-js-validators");
});

test("the search form and sort links work as plain HTML", async ({ page }) => {
  await page.goto("/validators");
  await page.getByRole("searchbox", { name: "Search validators" }).fill("binance");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/q=binance/);
  await expect(rows(page)).toHaveText([/Binance Node/, /Binance Staking/]);
  await page.goto("/validators?status=all");
  await page.locator("th a[data-sort=moniker]").click();
  await expect(page).toHaveURL(/sort=moniker/);
  // The URL changes when the response starts; the rows arrive as the document streams in.
  await expect(rows(page)).toHaveCount(547);
  const names = await page.locator("[data-testid=validators-table] tbody td:nth-child(2) > a").allInnerTexts();
  expect(names.length).toBe(547);
  // Validators without a moniker come last; the others in alphabetical order.
  const named = names.filter((n) => n !== "(no moniker)").map((n) => n.toLowerCase());
  expect(names.slice(named.length).every((n) => n === "(no moniker)")).toBe(true);
  expect(named).toEqual([...named].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
});

test("the detail page and its chart are there without JavaScript", async ({ page }) => {
  await page.goto("/validators?q=everstake");
  await rows(page).getByRole("link").first().click();
  await expect(page.getByTestId("moniker")).toHaveText("Everstake");
  await expect(page.locator("[data-testid=voting-power-chart] svg")).toBeVisible();
});

test("a proposal page is whole without JavaScript", async ({ page }) => {
  await page.goto("/proposals/cosmoshub/987");
  await expect(page.getByTestId("proposal-title")).toContainText("v22");
  await expect(page.locator("[data-testid=tally] svg.tally-chart")).toBeVisible();
  await page.goto("/proposals?status=all");
  await page.getByRole("searchbox", { name: "Search proposals" }).fill("v22");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.locator("tr[data-proposal='987']")).toBeVisible();
  await shot(page, "no-js-proposals");
});
