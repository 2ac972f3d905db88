import { expect, Page, test } from "@playwright/test";
import { devchain, hydrated, shot } from "./helpers";

// Runs after the other page tests: it fills devchain with hostile text (validators' descriptions
// and proposals written to break out of HTML, run script or reorder text) and opens every page
// that shows it. Any dialog, navigation or element the text managed to inject fails the test.

type Hostile = { operators: string[]; proposals: { scenario: number; untitled: number; metadata: number } };

let hostile: Hostile;

test.beforeAll(async ({ request }) => {
  const response = await request.put(`${devchain}/_devchain/hostile`);
  expect(response.ok()).toBeTruthy();
  hostile = await response.json();
  // The workers collect every 2 s: wait until the pages have the hostile text.
  await expect
    .poll(
      async () => {
        const list = await (await request.get(`/api/v1/networks/cosmoshub/validators?q=Evil&status=all`)).json();
        const proposals = await (await request.get(`/api/v1/networks/cosmoshub/proposals`)).json();
        const ids = proposals.proposals.map((p: { id: number }) => p.id);
        return list.total === 5 && ids.includes(hostile.proposals.metadata);
      },
      { timeout: 30_000 },
    )
    .toBe(true);
});

/** Opens `path` and fails on anything the chain text made the browser do. */
async function visitInert(page: Page, path: string, screenshot?: string) {
  const dialogs: string[] = [];
  page.on("dialog", async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  const navigations: string[] = [];
  page.on("framenavigated", (frame) => {
    if (frame === page.mainFrame()) navigations.push(frame.url());
  });
  const response = await page.goto(path);
  expect(response?.status(), path).toBeLessThan(400);
  await hydrated(page);
  // Time for anything injected to fire (onerror of a broken image fires at once).
  await page.waitForTimeout(300);
  expect(dialogs, `${path}: dialogs`).toEqual([]);
  expect(navigations.length, `${path}: navigations ${navigations}`).toBe(1);
  const injected = await page.evaluate(() =>
    [
      ...document.querySelectorAll(
        "body script, img[src='x'], svg[onload], iframe, [onerror], [onload], [onmouseover], body style",
      ),
    ].map((e) => e.outerHTML.slice(0, 80)),
  );
  expect(injected, `${path}: injected elements`).toEqual([]);
  const unsafeLinks = await page.evaluate(() =>
    [...document.querySelectorAll("a[href]")]
      .map((a) => a.getAttribute("href") ?? "")
      .filter((href) => /^\s*(javascript|data):/i.test(href)),
  );
  expect(unsafeLinks, `${path}: links`).toEqual([]);
  if (screenshot) await shot(page, screenshot);
}

test("hostile monikers, websites and details are shown as text", async ({ page }) => {
  await visitInert(page, "/validators?status=all&q=Evil", "hostile-validators");
  await expect(page.locator("[data-testid=validators-table] tbody tr:has(a)")).toHaveCount(5);
  for (const [i, operator] of hostile.operators.entries()) {
    await visitInert(page, `/validators/${operator}`, i === 0 ? "hostile-validator" : undefined);
    await expect(page.getByTestId("moniker")).toContainText("Evil");
  }
  // The title bar shows the moniker as text, not as markup.
  await page.goto(`/validators/${hostile.operators[0]}`);
  await expect(page).toHaveTitle("</title><script>alert('moniker')</script>Evil · Validators · Stakeboard");
  // A right-to-left override does not reorder the text around it.
  await page.goto(`/validators/${hostile.operators[1]}`);
  await expect(page.getByTestId("moniker")).toHaveText("Evil lavE stake");
});

test("hostile proposal titles, summaries and metadata are shown as text", async ({ page }) => {
  await visitInert(page, "/proposals", "hostile-proposals");
  const { scenario, untitled, metadata } = hostile.proposals;
  await visitInert(page, `/proposals/cosmoshub/${scenario}`, "hostile-proposal");
  await expect(page.getByTestId("proposal-title")).toContainText("</title><script>alert('title')</script>Evil");
  await visitInert(page, `/proposals/cosmoshub/${untitled}`, "proposal-without-title");
  await expect(page.getByTestId("proposal-title")).toHaveText(`Proposal #${untitled} · MsgSoftwareUpgrade`);
  // The long IBC denom of its message wraps inside its card.
  const overflow = await page.evaluate(() =>
    [...document.querySelectorAll(".card")].filter((card) => card.scrollWidth > card.clientWidth + 1).length,
  );
  expect(overflow).toBe(0);
  await visitInert(page, `/proposals/cosmoshub/${metadata}`);
  await expect(page.getByTestId("proposal-title")).toContainText("Evil upgrade");
});

test("the alerts validator picker and the faucet page stay inert", async ({ page }) => {
  await visitInert(page, "/alerts");
  const hub = page.locator("fieldset[data-network=cosmoshub]");
  await hub.locator("summary").click();
  await hub.getByLabel("Filter validators").fill("Evil");
  await expect.poll(async () => hub.locator(".picker-list li:visible").count()).toBe(5);
  await shot(page, "hostile-alerts-picker");
  await visitInert(page, "/faucet");
});
