import { expect, Page, test } from "@playwright/test";
import { devchain, rows, shot } from "./helpers";

// Runs last: it makes devchain fail, then heals it.

/** Reloads the validators page until it shows `count` stale-data warnings. */
async function waitForWarnings(page: Page, count: number) {
  await expect
    .poll(
      async () => {
        await page.goto("/validators");
        return page.getByTestId("stale-warning").count();
      },
      { timeout: 30_000 },
    )
    .toBe(count);
}

test("a failing chain shows a stale-data warning, and the warning goes once it recovers", async ({ page, request }) => {
  const faults = `${devchain}/_devchain/faults`;
  expect((await request.put(faults, { data: { status: 503 } })).ok()).toBe(true);
  try {
    await waitForWarnings(page, 1);
    await expect(page.getByTestId("stale-warning")).toContainText("HTTP 503: 503 Service Unavailable");
    await expect(page.getByTestId("stale-warning")).toContainText("Showing data collected");
    await expect(rows(page)).toHaveCount(180);
    await shot(page, "validators-stale");
  } finally {
    await request.delete(faults);
  }
  await waitForWarnings(page, 0);
});
