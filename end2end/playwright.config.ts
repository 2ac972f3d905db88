import { defineConfig } from "@playwright/test";

// Debian's Chromium, never a downloaded browser. The flags keep it quiet on a closed network.
const launchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
};

export default defineConfig({
  testDir: "./tests",
  timeout: 45_000,
  expect: { timeout: 10_000 },
  // One server and one devchain are shared; the hostile and stale tests change devchain, so
  // run in order.
  fullyParallel: false,
  workers: 1,
  reporter: [["list"]],
  globalSetup: "./global-setup.ts",
  use: {
    baseURL: process.env.BASE_URL ?? "http://127.0.0.1:3000",
    launchOptions,
    viewport: { width: 1280, height: 900 },
  },
  projects: [
    { name: "chromium", testIgnore: [/no-js/, /stale/, /hostile/] },
    { name: "no-js", testMatch: /no-js/, use: { javaScriptEnabled: false } },
    // Fills devchain with hostile text, so it runs after the pages were tested on recorded data.
    { name: "hostile", testMatch: /hostile/, dependencies: ["chromium", "no-js"] },
    { name: "stale", testMatch: /stale/, dependencies: ["hostile"] },
  ],
});
