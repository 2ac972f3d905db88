import { expect, test } from "@playwright/test";
import { hydrated, shot } from "./helpers";

// A valid cosmos1 address nobody else in the tests uses.
const RECIPIENT = "cosmos1hsk6jryyqjfhp5dhc55tc9jtckygx0eph6dd02";

test("claim tokens: the address is checked as it is typed, the captcha solves itself, the claim is paid", async ({ page }) => {
  await page.goto("/faucet");
  await hydrated(page);
  await expect(page.locator("[data-testid=faucet-address]")).toHaveText("cosmos19rl4cm2hmr8afy4kldpxz3fka4jguq0auqdal4");
  await expect(page.locator("[data-testid=faucet-balance]")).toContainText("ATOM", { timeout: 15_000 });

  const address = page.locator("input[name=address]");
  const check = page.locator("[data-testid=address-check]");
  await address.fill("osmo19rl4cm2hmr8afy4kldpxz3fka4jguq0a5m7df8");
  await expect(check).toContainText("this faucet pays cosmos1");
  await address.fill(RECIPIENT.slice(0, -1) + "q");
  await expect(check).toContainText("checksum does not match");
  await expect(page.getByRole("button", { name: /Send me/ })).toBeDisabled();
  await address.fill(RECIPIENT);
  await expect(check).toContainText("valid address");

  await expect(page.locator("[data-testid=captcha-state]")).toContainText("Proof of work done", { timeout: 30_000 });
  await shot(page, "faucet-form");
  await page.getByRole("button", { name: /Send me/ }).click();

  await expect(page).toHaveURL(/\/faucet\/claims\/\d+$/);
  await shot(page, "faucet-claim-pending");
  // The page refreshes itself: pending → broadcast → confirmed with a block height.
  await expect(page.locator("[data-testid=claim-status]")).toHaveText("confirmed", { timeout: 30_000 });
  await expect(page.locator("[data-testid=claim-height]")).toContainText("in block");
  await expect(page.locator("[data-testid=claim-tx]")).toHaveText(/^[0-9A-F]{64}$/);
  await shot(page, "faucet-claim-confirmed");

  // The same address again: refused with the time of the next allowed claim, typed value kept.
  await page.goto("/faucet");
  await hydrated(page);
  await expect(page.locator("[data-testid=recent-claims]")).toContainText(RECIPIENT);
  await page.locator("input[name=address]").fill(RECIPIENT);
  await expect(page.locator("[data-testid=captcha-state]")).toContainText("Proof of work done", { timeout: 30_000 });
  await page.getByRole("button", { name: /Send me/ }).click();
  await expect(page.locator("[data-testid=claim-error]")).toContainText("can claim again after");
  await expect(page.locator("input[name=address]")).toHaveValue(RECIPIENT);
  await shot(page, "faucet-refused");
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the form still posts and the refusal says what is missing, keeping the address", async ({ page }) => {
    await page.goto("/faucet");
    await expect(page.locator("[data-testid=captcha-state]")).toContainText("needs JavaScript");
    const address = "cosmos1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu";
    await page.locator("input[name=address]").fill(address);
    await page.getByRole("button", { name: /Send me/ }).click();
    await expect(page).toHaveURL(/\/faucet\?/);
    await expect(page.locator("[data-testid=claim-error]")).toContainText("proof-of-work");
    await expect(page.locator("input[name=address]")).toHaveValue(address);
  });
});
