// Waits until the server answers and has collected the validator set once: cargo-leptos and the
// test script may start the tests before the server is ready.
export default async function globalSetup() {
  const base = process.env.BASE_URL ?? "http://127.0.0.1:3000";
  const deadline = Date.now() + 90_000;
  let last = "";
  while (Date.now() < deadline) {
    try {
      const health = await (await fetch(`${base}/healthz`)).json();
      if (health.workers?.some((w: { last_success_at?: string }) => w.last_success_at)) return;
      last = JSON.stringify(health);
    } catch (error) {
      last = String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`Stakeboard at ${base} has not collected any data: ${last}`);
}
