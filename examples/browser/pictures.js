// What every example page here shares: `$`, running the page's main with its errors shown
// in #status, and the pictures that serve.mjs provides (info.json + raw bytes).

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
  return { info, X };
}
