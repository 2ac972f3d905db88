import { expect, test } from "@playwright/test";
import { devchain, hydrated, markWindow, rows, shot, windowStillMarked } from "./helpers";

test("the overview shows the followed network", async ({ page }) => {
  await page.goto("/");
  const card = page.locator("article.network-card[data-network=cosmoshub]");
  await expect(card.getByRole("heading", { name: "Cosmos Hub (devchain)" })).toBeVisible();
  await expect(card.getByTestId("active-count")).toHaveText("180 / 547");
  await expect(card.getByTestId("bonded-ratio")).toHaveText("62.9%");
  await expect(card).toContainText(/Updated (just now|\d+ s ago)/);
  await shot(page, "overview");
});

test("search narrows the table as one types, without reloading", async ({ page }) => {
  await page.goto("/validators");
  await hydrated(page);
  await expect(rows(page)).toHaveCount(180);
  await markWindow(page);
  await page.getByRole("searchbox", { name: "Search validators" }).pressSequentially("cosmostat", { delay: 30 });
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toContainText("Cosmostation");
  await expect(page).toHaveURL(/\?q=cosmostat/);
  expect(await windowStillMarked(page)).toBe(true);
  await shot(page, "validators-search");
  await page.getByRole("searchbox", { name: "Search validators" }).fill("");
  await expect(rows(page)).toHaveCount(180);
});

test("a column header sorts the table, and a second click reverses it", async ({ page }) => {
  await page.goto("/validators");
  await hydrated(page);
  await markWindow(page);
  const commissions = async () =>
    (await page.locator("[data-testid=validators-table] td.commission").allInnerTexts()).map(parseFloat);
  const byRank = await commissions();
  await page.locator("th a[data-sort=commission]").click();
  await expect(page).toHaveURL(/sort=commission/);
  await expect(page.locator("th[aria-sort=ascending] a[data-sort=commission]")).toBeVisible();
  const ascending = await commissions();
  expect(ascending).toEqual([...byRank].sort((a, b) => a - b));
  expect(ascending).not.toEqual(byRank);
  await page.locator("th a[data-sort=commission]").click();
  await expect(page).toHaveURL(/dir=desc/);
  await expect.poll(commissions).toEqual([...byRank].sort((a, b) => b - a));
  expect(await windowStillMarked(page)).toBe(true);
  await shot(page, "validators-sorted");
});

test("status tabs filter the table", async ({ page }) => {
  await page.goto("/validators");
  await hydrated(page);
  await page.locator("a.tab[data-status=jailed]").click();
  await expect(rows(page)).toHaveCount(203);
  const badges = await rows(page).locator(".badge").allInnerTexts();
  expect(new Set(badges)).toEqual(new Set(["Jailed", "Tombstoned"]));
  await page.locator("a.tab[data-status=all]").click();
  await expect(rows(page)).toHaveCount(547);
});

test("a row opens the validator's page with its chart, and addresses copy", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.goto("/validators");
  await hydrated(page);
  await rows(page).filter({ hasText: "Cosmostation" }).click();
  await expect(page).toHaveURL(/\/validators\/cosmosvaloper1clpqr4nrk4khgkxj78fcwwh6dl3uw4epsluffn(\?network=cosmoshub)?$/);
  await expect(page.getByTestId("moniker")).toHaveText("Cosmostation");
  await expect(page.getByTestId("commission")).toHaveText("5.00%");
  // One recorded value so far: a flat line (zero height, so only its presence is checked).
  await expect(page.locator("[data-testid=voting-power-chart] svg")).toBeVisible();
  await expect(page.locator("[data-testid=voting-power-chart] svg path.line")).toHaveCount(1);
  await hydrated(page);
  const copy = page.locator("dd", { has: page.getByTestId("operator-address") }).getByRole("button");
  await copy.click();
  await expect(copy).toHaveText("Copied ✓");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
    "cosmosvaloper1clpqr4nrk4khgkxj78fcwwh6dl3uw4epsluffn",
  );
  await shot(page, "validator-detail");
});

test("a change on the chain becomes a new point in the chart", async ({ page, request }) => {
  const operator = "cosmosvaloper1clpqr4nrk4khgkxj78fcwwh6dl3uw4epsluffn";
  const patched = await request.patch(`${devchain}/_devchain/validators/${operator}`, {
    data: { tokens: "13000000000000" },
  });
  expect(patched.ok()).toBe(true);
  await expect
    .poll(
      async () => {
        await page.goto(`/validators/${operator}`);
        return page.getByTestId("tokens").innerText();
      },
      { timeout: 20_000 },
    )
    .toBe("13,000,000 ATOM");
  await expect(page.locator("[data-testid=voting-power-chart] circle")).toHaveCount(2);
  await expect(page.locator("[data-testid=voting-power-chart] figcaption")).toContainText("2 values recorded");
  await shot(page, "validator-detail-history");
});

test("unknown validators and pages say so", async ({ page }) => {
  const unknown = "cosmosvaloper1qurswpc8qurswpc8qurswpc8qurswpc8k8n0vj";
  const missing = await page.goto(`/validators/${unknown}`);
  expect(missing?.status()).toBe(404);
  await expect(page.getByRole("alert")).toContainText(`No validator ${unknown}`);
  const typo = await page.goto("/validators/cosmosvaloper1nothing");
  expect(typo?.status()).toBe(400);
  await expect(page.getByRole("alert")).toContainText("is not a validator operator address: that is not a valid address");
  const nowhere = await page.goto("/no/such/page");
  expect(nowhere?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
});

test("the system page lists the workers", async ({ page }) => {
  await page.goto("/system");
  await expect(page.getByTestId("workers")).toContainText("validators");
  await expect(page.getByTestId("workers")).toContainText("cosmoshub");
  await shot(page, "system");
});
