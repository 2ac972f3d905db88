import { expect, Page, test } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { makeADR36AminoSignDoc } from "@keplr-wallet/cosmos";
import { Secp256k1HdWallet } from "@cosmjs/amino";
import { hydrated, shot } from "./helpers";

// The admin .ci/test creates before the server starts.
const ADMIN_EMAIL = process.env.ADMIN_EMAIL ?? "e2e@stakeboard.test";
const ADMIN_PASSWORD = process.env.ADMIN_PASSWORD ?? "e2e admin password";
// The public cosmjs documentation mnemonic: the voter's test wallet (never for real funds).
const VOTER_MNEMONIC =
  "surround miss nominee dream gap cross assault thank captain prosper drop duty group candy wealth weather scale put";

const at = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString().slice(0, 16);

/** A browser wallet like Keplr's: `signArbitrary` signs ADR-036 with cosmjs in the test process. */
async function injectWallet(page: Page) {
  const wallet = await Secp256k1HdWallet.fromMnemonic(VOTER_MNEMONIC);
  const [account] = await wallet.getAccounts();
  await page.exposeFunction("__testSignArbitrary", async (_chainId: string, signer: string, data: string) => {
    const { signature } = await wallet.signAmino(signer, makeADR36AminoSignDoc(signer, data));
    return signature;
  });
  await page.addInitScript((address: string) => {
    const w = window as unknown as Record<string, unknown>;
    w.keplr = {
      enable: async () => undefined,
      getKey: async () => ({ bech32Address: address }),
      signArbitrary: (chainId: string, signer: string, data: string) =>
        (w.__testSignArbitrary as (c: string, s: string, d: string) => Promise<unknown>)(chainId, signer, data),
    };
  }, account.address);
  return account.address;
}

async function login(page: Page) {
  await page.goto("/admin/elections");
  await expect(page).toHaveURL(/\/admin\/login\?next=/);
  await page.locator("input[name=email]").fill(ADMIN_EMAIL);
  await page.locator("input[name=password]").fill(ADMIN_PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL(/\/admin\/elections$/);
}

test("a logged-out visitor gets the login page for every admin page, and a wrong password is refused", async ({ page }) => {
  for (const path of ["/admin", "/admin/elections", "/admin/elections/new", "/admin/audit"]) {
    await page.goto(path);
    await expect(page).toHaveURL(/\/admin\/login/);
  }
  await page.locator("input[name=email]").fill(ADMIN_EMAIL);
  await page.locator("input[name=password]").fill("not the password");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.locator("[data-testid=login-error]")).toHaveText("wrong e-mail or password");
  await shot(page, "admin-login");
});

test("an admin schedules a ranked-choice election and opens it; a voter signs with a wallet, changes the vote, and checks the receipt; the results show every round", async ({ page, browser }) => {
  test.setTimeout(120_000);
  const voter = await browser.newPage();
  const voterAddress = await injectWallet(voter);

  await login(page);
  await shot(page, "admin-elections");
  await page.getByTestId("new-election").click();
  const form = page.getByTestId("election-form");
  await form.locator("input[name=title]").fill("Community pool steward 2027");
  await form.locator("input[name=question]").fill("Who should steward the community pool?");
  await form.locator("textarea[name=options]").fill("Alice\nBob\nCarol");
  await form.locator("textarea[name=description]").fill("Rank the candidates. **Only your last ballot counts.**");
  await form.locator("select[name=method]").selectOption("ranked");
  await form.locator("select[name=power_source]").selectOption("allowlist");
  await form.locator("input[name=quorum]").fill("10");
  await form.locator("input[name=voting_start]").fill(at(120));
  await form.locator("input[name=voting_end]").fill(at(24 * 60));
  await shot(page, "admin-election-form");
  await page.getByTestId("save-election").click();
  await expect(page).toHaveURL(/\/admin\/elections\/\d+$/);
  await expect(page.getByTestId("flash")).toContainText("is scheduled");
  const id = Number(page.url().split("/").pop());

  await page.getByTestId("allowlist-csv").fill(
    `address,weight\n${voterAddress},600\ncosmos1hsk6jryyqjfhp5dhc55tc9jtckygx0eph6dd02,300\ncosmos19rl4cm2hmr8afy4kldpxz3fka4jguq0auqdal4,100\n`,
  );
  await page.getByTestId("upload-allowlist").click();
  await expect(page.getByTestId("allowlist-size")).toContainText("3 voters");
  await page.getByTestId("open-now").click();
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("election-state")).toHaveText("Open", { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await expect(page.getByTestId("admin-plan-hash")).toHaveText(/^[0-9a-f]{64}$/);
  await shot(page, "admin-election");

  await voter.goto(`/elections/${id}`);
  await hydrated(voter);
  await expect(voter.getByTestId("options")).toContainText("Carol");
  const ranks = voter.getByTestId("ballot-form").locator("select");
  await ranks.nth(1).selectOption("1");
  await ranks.nth(0).selectOption("2");
  await expect(voter.getByTestId("ballot-check")).toContainText("2. Bob · 1. Alice");
  await voter.getByTestId("sign-ballot").click();
  await expect(voter.getByTestId("ballot-receipt")).toContainText("position 1");
  const first = (await voter.getByTestId("ballot-receipt").locator("code").textContent())!.trim();
  await shot(voter, "election-voted");

  // Changes the vote: Carol first. Only this last ballot will count.
  await ranks.nth(2).selectOption("1");
  await ranks.nth(1).selectOption("2");
  await ranks.nth(0).selectOption("");
  await voter.getByTestId("sign-ballot").click();
  await expect(voter.getByTestId("ballot-receipt")).toContainText("position 2");
  await voter.getByTestId("ballot-receipt").getByRole("link").click();
  await expect(voter.getByTestId("receipt-status")).toHaveText("Recorded");
  await expect(voter.getByTestId("receipt-choice")).toContainText("3. Carol");
  await shot(voter, "election-receipt");
  await voter.goto(`/elections/${id}/receipt?hash=${first}`);
  await expect(voter.getByTestId("receipt-status")).toHaveText("Replaced");

  // The live tally is public: the page shows it while voting.
  await voter.goto(`/elections/${id}`);
  await expect(voter.getByTestId("turnout")).toHaveText("60.00%", { timeout: 20_000 });
  await shot(voter, "election-open");

  // The end comes (moved to now, as time would) and the worker counts.
  execFileSync("psql", [process.env.E2E_DATABASE_URL!, "-q", "-c",
    `UPDATE elections SET voting_end = now() WHERE id = ${id}; NOTIFY stakeboard_elections;`]);
  await expect(async () => {
    await voter.reload();
    await expect(voter.getByTestId("election-state")).toHaveText("Closed", { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await expect(voter.getByTestId("verdict")).toContainText("Winner: 3. Carol");
  await expect(voter.getByTestId("rounds")).toBeVisible();
  await expect(voter.getByTestId("ballots-root")).toHaveText(/^[0-9a-f]{64}$/);
  await expect(voter.getByTestId("bundle-link")).toBeVisible();
  await shot(voter, "election-results");
  await voter.goto(`/elections/${id}/receipt?hash=${first}`);
  await expect(voter.getByTestId("receipt-status")).toHaveText("Replaced");
  await voter.goto("/elections");
  await expect(voter.getByTestId("past-elections")).toContainText("Community pool steward 2027");
  await shot(voter, "elections");

  await page.goto("/admin/audit");
  await expect(page.getByTestId("audit")).toContainText("Opened an election now");
  await shot(page, "admin-audit");
  await page.getByTestId("logout").click();
  await expect(page).toHaveURL(/\/admin\/login/);
  await page.goto("/admin/elections");
  await expect(page).toHaveURL(/\/admin\/login/);
});
