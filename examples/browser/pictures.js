// What every example page here shares: `$`, running the page's main with its errors shown
// in #status, the pictures that serve.mjs provides (info.json + raw bytes) with a note of
// which ones they are, and controls set from the page's address.

/** The element with this id. */
export const $ = (id) => document.getElementById(id);

/** Runs the page's async main; a failure is written into #status and marks the body. */
export function runPage(main) {
  main().catch((e) => {
    $('status').textContent = `Something went wrong: ${e instanceof Error ? e.message : e}`;
    document.body.dataset.state = 'error';
    console.error(e);
  });
}

/** fetch that throws on an HTTP error, with a hint about how the pages are served. */
export async function fetchOk(url) {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status} (is this page served by examples/browser/serve.mjs?)`);
  return r;
}

/**
 * The pictures: count · width · height bytes, one picture after another, scaled to [0, 1]
 * as a Matrix (one picture per row), with serve.mjs's description of them (count, width,
 * height, noun, credit, source). Fills every `.noun` element and #credit when present.
 */
export async function loadPictures() {
  const info = await fetchOk('/data/info.json').then((r) => r.json());
  const bytes = new Uint8Array(await fetchOk(info.pixels).then((r) => r.arrayBuffer()));
  const d = info.width * info.height;
  if (bytes.length !== info.count * d) throw new Error(`${info.pixels}: ${bytes.length} bytes, expected ${info.count} × ${d}`);
  const X = { rows: info.count, cols: d, data: Float64Array.from(bytes, (v) => v / 255) };
  document.querySelectorAll('.noun').forEach((el) => { el.textContent = info.noun; });
  if ($('credit')) $('credit').textContent = info.credit;
  describeServing(info);
  return { info, X };
}

/**
 * Says which pictures the page shows and how to get the others, in every `.serve-note`
 * element: serve.mjs serves the Olivetti faces, or MNIST digits with `--digits`.
 */
export function describeServing(info) {
  const text = info.source === 'mnist'
    ? `These are ${info.count} MNIST digits (node examples/browser/serve.mjs --digits); without --digits the server serves the 400 Olivetti faces.`
    : `These are the ${info.count} Olivetti faces (node examples/browser/serve.mjs); serve.mjs --digits serves 2,000 MNIST digits instead.`;
  document.querySelectorAll('.serve-note').forEach((el) => { el.textContent = text; });
}

/**
 * Sets the page's controls from its address: `som.html?width=10&epochs=5` sets the inputs
 * and selects whose ids are width and epochs before the page starts (a link can share a
 * setting; the browser test runs short trainings this way).
 */
export function controlsFromUrl() {
  for (const [id, value] of new URLSearchParams(location.search)) {
    const el = document.getElementById(id);
    if (el && (el.tagName === 'INPUT' || el.tagName === 'SELECT')) el.value = value;
  }
}
