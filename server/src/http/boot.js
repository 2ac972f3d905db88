// Stakeboard's boot script. The page is whole without it; this loads the WASM when the browser
// is idle, starts the page-wide behaviours (`hydrate`), hydrates each island the server marked
// with <leptos-island data-component=…> and then sets <body data-hydrated>. It is a file of its
// own, never inline, so the Content-Security-Policy allows no inline script at all. The walk
// over islands follows Leptos's own island script (leptos/src/hydration/island_script.js).
const tag = document.querySelector("script[data-wasm][data-js]");
const childrenCallbacks = [];

async function hydrateIsland(el, mod) {
  const island = mod[el.dataset.component];
  if (!island) {
    console.warn(`Stakeboard: no WASM function for the island ${el.dataset.component}`);
    return;
  }
  const onChildren = childrenCallbacks[childrenCallbacks.length - 1];
  if (onChildren) onChildren();
  await island(el);
}

async function walk(node, mod) {
  for (const child of Array.from(node.children)) {
    const tagName = child.tagName.toLowerCase();
    if (tagName === "leptos-island") {
      await hydrateIsland(child, mod);
      await walk(child, mod);
    } else if (tagName === "leptos-children") {
      childrenCallbacks.push(child.$$on_hydrate);
      await walk(child, mod);
      childrenCallbacks.pop();
    } else {
      await walk(child, mod);
    }
  }
}

async function boot() {
  const mod = await import(tag.dataset.js);
  await mod.default({ module_or_path: tag.dataset.wasm });
  mod.hydrate();
  await walk(document.body, mod);
  document.body.dataset.hydrated = "true";
}

if ("requestIdleCallback" in window) {
  window.requestIdleCallback(boot, { timeout: 1000 });
} else {
  boot();
}
