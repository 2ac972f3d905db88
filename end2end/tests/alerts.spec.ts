import { expect, Page, test } from "@playwright/test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { hydrated, shot } from "./helpers";

// The SMTP server the test command starts writes each accepted mail here.
const mailbox = process.env.MAILBOX_DIR ?? "";

/** The text of every mail to `address`, quoted-printable decoded. */
function mailsTo(address: string): string[] {
  if (!mailbox) throw new Error("MAILBOX_DIR is not set");
  return readdirSync(mailbox)
    .filter((f) => f.endsWith(".eml") && !f.startsWith("."))
    .sort()
    .map((f) => readFileSync(join(mailbox, f), "utf8"))
    .filter((raw) => raw.startsWith(`X-Envelope-To: ${address}`))
    .map((raw) =>
      raw.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16))),
    );
}

async function linkFromMail(address: string, path: string): Promise<string> {
  let link = "";
  await expect
    .poll(
      () => {
        const pattern = new RegExp(`https?://[^\\s"<>]*${path.replace("?", "\\?")}[A-Za-z0-9_-]+`);
        for (const mail of mailsTo(address)) {
          const found = mail.match(pattern);
          if (found) link = found[0];
        }
        return link;
      },
      { timeout: 20_000 },
    )
    .not.toBe("");
  return link;
}

async function signUp(page: Page, address: string) {
  await page.goto("/alerts");
  await hydrated(page);
  await page.getByLabel("Your e-mail address").fill(address);
}

test("sign up, confirm from the mail, change preferences", async ({ page }) => {
  const address = `e2e-${Date.now()}@example.org`;
  await signUp(page, address);
  const hub = page.locator("fieldset[data-network=cosmoshub]");
  await expect(hub.locator("input[name=voting]")).toBeChecked();
  await hub.locator("input[name=result]").check();
  await hub.locator("select").selectOption("24");
  await hub.locator("summary").click();
  const items = hub.locator(".picker-list li");
  await expect(items.first()).toBeVisible();
  const all = await items.count();
  expect(all).toBeGreaterThan(100);
  await hub.getByLabel("Filter validators").fill("coinbase");
  await expect.poll(async () => hub.locator(".picker-list li:visible").count()).toBeLessThan(5);
  await hub.locator(".picker-list li:visible input").first().check();
  await shot(page, "alerts-signup");
  await page.getByRole("button", { name: "Sign up" }).click();

  await expect(page).toHaveURL(/\/alerts\/check-inbox/);
  await expect(page.getByTestId("check-inbox")).toContainText(address);
  await shot(page, "alerts-check-inbox");

  const confirm = await linkFromMail(address, "/alerts/confirm?token=");
  // Opening the link changes nothing (mail scanners open every link): its button confirms.
  await page.goto(confirm);
  await expect(page.getByTestId("confirm-result")).toHaveAttribute("data-outcome", "pending");
  await expect(page.locator(".choices-summary")).toContainText("proposals entering voting, voting results");
  await shot(page, "alerts-confirm-pending");
  await page.reload();
  await expect(page.getByTestId("confirm-result")).toHaveAttribute("data-outcome", "pending");
  await page.getByRole("button", { name: "Confirm my alerts" }).click();
  await expect(page.getByTestId("confirm-result")).toHaveAttribute("data-outcome", "confirmed");
  await expect(page.getByRole("heading", { name: "You're subscribed" })).toBeVisible();
  await expect(page.locator(".choices-summary")).toContainText("proposals entering voting, voting results");
  await expect(page.locator(".choices-summary")).toContainText("24 h before the end if your watched validator has not voted");
  await shot(page, "alerts-confirmed");

  await page.getByRole("link", { name: "Change your preferences" }).click();
  await hydrated(page);
  await expect(page.getByText(address)).toBeVisible();
  await expect(page.getByTestId("subscriber-status")).toContainText("Subscribed since");
  const manage = page.locator("fieldset[data-network=cosmoshub]");
  await expect(manage.locator("input[name=result]")).toBeChecked();
  await expect(manage.locator("summary")).toContainText("(1 chosen)");
  await manage.locator("input[name=voting]").uncheck();
  await page.getByRole("button", { name: "Save preferences" }).click();
  await expect(page.getByRole("status")).toHaveText("Your preferences are saved.");
  await expect(page.locator("fieldset[data-network=cosmoshub] input[name=voting]")).not.toBeChecked();
  await shot(page, "alerts-manage");

  // The same confirmation link again, and a damaged one.
  await page.goto(confirm);
  await expect(page.getByTestId("confirm-result")).toHaveAttribute("data-outcome", "already");
  await page.goto(confirm.slice(0, -3));
  await expect(page.getByTestId("confirm-result")).toHaveAttribute("data-outcome", "unknown");
  await shot(page, "alerts-bad-link");
});

test("the sign-up form shows why an address is refused and keeps it", async ({ page }) => {
  await signUp(page, "someone@localhost");
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page).toHaveURL(/\/alerts\?error=/);
  await expect(page.getByRole("alert")).toContainText("domain after the @ is not valid");
  await expect(page.getByLabel("Your e-mail address")).toHaveValue("someone@localhost");
  await shot(page, "alerts-signup-error");
});

test("unsubscribing from the mail link, and undoing it", async ({ page }) => {
  const address = `e2e-unsub-${Date.now()}@example.org`;
  await signUp(page, address);
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page).toHaveURL(/check-inbox/);
  await page.goto(await linkFromMail(address, "/alerts/confirm?token="));
  await page.getByRole("button", { name: "Confirm my alerts" }).click();
  await expect(page.getByTestId("confirm-result")).toHaveAttribute("data-outcome", "confirmed");
  await page.getByRole("link", { name: "Change your preferences" }).click();
  await page.getByRole("link", { name: "Unsubscribe from everything" }).click();
  // The link's page asks; only its button unsubscribes.
  await expect(page.getByTestId("unsubscribe-result")).toHaveAttribute("data-outcome", "subscribed");
  await shot(page, "alerts-unsubscribe-ask");
  await page.getByRole("button", { name: "Unsubscribe" }).click();
  await expect(page.getByRole("heading", { name: "You're unsubscribed" })).toBeVisible();
  await shot(page, "alerts-unsubscribed");
  await page.getByRole("button", { name: "Undo: subscribe again" }).click();
  await expect(page.getByRole("status")).toHaveText("Your preferences are saved.");
  await expect(page.getByTestId("subscriber-status")).toContainText("Subscribed");
});
