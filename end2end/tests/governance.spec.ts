import { expect, test } from "@playwright/test";
import { devchain, hydrated, markWindow, shot, windowStillMarked } from "./helpers";

function proposalRows(page: import("@playwright/test").Page) {
  return page.locator("[data-testid=proposals-table] tbody tr[data-proposal]");
}

function validatorRows(page: import("@playwright/test").Page) {
  return page.locator("[data-testid=validator-votes] tbody tr[data-operator]");
}

test("the proposals list: status tabs, search and the spam warning", async ({ page }) => {
  await page.goto("/proposals?status=all");
  await hydrated(page);
  await expect(proposalRows(page).first()).toBeVisible();
  expect(await proposalRows(page).count()).toBeGreaterThanOrEqual(222);
  await expect(page.locator("tr[data-proposal='936'] .badge-spam")).toBeVisible();
  await shot(page, "proposals-all");

  await markWindow(page);
  await page.locator("a[data-status=passed]").click();
  await expect(page).toHaveURL(/status=passed/);
  await expect(proposalRows(page).locator(".badge").first()).toHaveText("Passed");
  const passed = await proposalRows(page).locator("td:nth-child(3)").allInnerTexts();
  expect(passed.every((s) => s.includes("Passed"))).toBe(true);

  await page.locator("a[data-status=all]").click();
  await expect(page).not.toHaveURL(/status=/);
  await page.getByRole("searchbox", { name: "Search proposals" }).pressSequentially("v22", { delay: 30 });
  await expect(page).toHaveURL(/q=v22/);
  // The table updates in place once the search has been applied.
  await expect.poll(async () => (await proposalRows(page).allInnerTexts()).length).toBeLessThan(5);
  await expect(page.locator("tr[data-proposal='987']")).toBeVisible();
  const found = await proposalRows(page).allInnerTexts();
  expect(found.every((row) => /v22/i.test(row))).toBe(true);
  expect(await windowStillMarked(page)).toBe(true);
});

test("a spam proposal warns and its links are not clickable", async ({ page }) => {
  await page.goto("/proposals/cosmoshub/936");
  await expect(page.getByTestId("spam-warning")).toBeVisible();
  await expect(page.getByTestId("proposal-text")).not.toBeEmpty();
  await expect(page.locator("[data-testid=proposal-text] a")).toHaveCount(0);
  await expect(page.locator("[data-testid=proposal-text] script")).toHaveCount(0);
  await shot(page, "proposal-spam");
});

test("a proposal voted live: the tally moves, a changed vote shows, the end gives the result", async ({ page, request }) => {
  test.setTimeout(180_000);
  const started = await request.put(`${devchain}/_devchain/gov/scenario`, {
    data: { delegators: 200, deposit_secs: 0, voting_secs: 45 },
  });
  expect(started.ok()).toBe(true);
  const id = Number((await started.json()).proposal_id);
  await expect
    .poll(async () => (await request.get(`/api/v1/networks/cosmoshub/proposals/${id}`)).status(), { timeout: 30_000 })
    .toBe(200);

  await page.goto(`/proposals/cosmoshub/${id}`);
  await hydrated(page);
  await markWindow(page);
  await expect(page.getByTestId("recording")).toContainText("Voting is open");
  const voted = async () => Number(await page.getByTestId("tally").getAttribute("data-voted"));
  const first = await voted();
  await expect.poll(voted, { timeout: 30_000 }).toBeGreaterThan(first);

  // The second-largest validator votes yes at 10% of the period and no at 45%.
  const second = validatorRows(page).nth(1);
  await expect(second.getByTestId("vote-history")).toContainText(/Yes.*→.*No/, { timeout: 45_000 });
  await expect(second.locator(".vote-cell")).toHaveText("No");
  expect(await windowStillMarked(page), "the page updated in place").toBe(true);
  await shot(page, "proposal-live");

  await expect(page.getByTestId("verdict")).toHaveText(/The tally (passes|does not pass)/, { timeout: 60_000 });
  const total = await voted();
  expect(total).toBeGreaterThan(first);
  await expect(second.getByTestId("vote-history")).toContainText(/Yes.*→.*No/);

  await page.locator("a[data-votes=not_voted]").click();
  await expect(page).toHaveURL(/votes=not_voted/);
  const silent = Number(await page.locator("a[data-votes=not_voted] .count").innerText());
  expect(silent).toBeGreaterThan(0);
  await expect(validatorRows(page)).toHaveCount(silent);
  await expect(validatorRows(page).first().locator(".vote-cell")).toHaveText("Did not vote");
  await shot(page, "proposal-ended-did-not-vote");

  // Every recorded vote, newest first, 25 a page: "Older votes" loads the next page in place.
  await page.goto(`/proposals/cosmoshub/${id}`);
  await hydrated(page);
  await markWindow(page);
  await expect(page.getByTestId("option-counts")).toContainText(/Yes \d/);
  const voters = () => page.locator("[data-testid=all-votes] tbody tr code").evaluateAll((codes) => codes.map((c) => c.getAttribute("title")));
  await expect(page.locator("[data-testid=all-votes] tbody tr")).toHaveCount(25);
  const newest = await voters();
  await page.getByTestId("older-votes").click();
  await expect(page).toHaveURL(/after=/);
  await expect(page.getByTestId("newest-votes")).toBeVisible();
  const older = await voters();
  expect(older.length).toBeGreaterThan(0);
  expect(older.filter((v) => newest.includes(v)), "no vote on two pages").toEqual([]);
  expect(await windowStillMarked(page), "the next page loaded in place").toBe(true);
  await page.getByTestId("all-votes").scrollIntoViewIfNeeded();
  await shot(page, "proposal-all-votes");
  await page.goBack();
  await expect(page.getByTestId("newest-votes")).toHaveCount(0);
  expect(await voters()).toEqual(newest);

  // The validator's own page keeps the record.
  await page.goto(`/proposals/cosmoshub/${id}`);
  await validatorRows(page).nth(1).getByRole("link").first().click();
  const record = page.getByTestId("governance-record");
  await expect(record.locator(`tr[data-proposal='${id}'] .vote-cell`)).toHaveText("No");
  await expect(record.locator(`tr[data-proposal='${id}']`)).toContainText("→");
  await shot(page, "validator-governance");
  await expect(page.getByTestId("changes").locator("tbody tr").first()).toBeVisible();
});
