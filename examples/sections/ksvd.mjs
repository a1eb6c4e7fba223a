// "Decoding the thought vector": the sparse-coding part of the demo page. A PCA turns each
// picture into a short latent vector z; K-SVD learns a dictionary of atoms in that latent
// space; OMP then reads any z as a few atoms with weights. Drawn here: the most used atoms as
// pictures (mean ± a typical weight · atom, through pca.inverseTransform), the "artist's
// strokes" (a picture rebuilt from its first 1, 2, 3, 5, 8 atoms, each step labelled with
// the atom it added and that atom's weight), and the decomposition run in reverse (the
// pictures that lean hardest on one atom).
//
// Used by examples/demo.mjs; Node only (PNG encoding through ../png.mjs).
import * as pca from '../../dist/pca.js';
import * as ksvd from '../../dist/ksvd.js';
import * as omp from '../../dist/omp.js';
import { grid } from '../../dist/image.js';
import { encodePng } from '../png.mjs';
import { captionedTiles } from './figures.mjs';

/**
 * @typedef {{ rows: number, cols: number, data: Float64Array }} Matrix
 * @typedef {{
 *   id: string, title: string, noun: string, X: Matrix, width: number, height: number, scale: number,
 *   about: string, samples: number[], nComponents: number, nAtoms: number, nNonzero: number,
 *   maxIter: number, timed: (label: string, f: () => any) => any, people?: boolean,
 * }} KsvdSectionInput
 * @typedef {{ html: string, files: Record<string, Buffer | string>, summary: string }} KsvdSection
 */

const STROKES = [1, 2, 3, 5, 8];
const SHOWN_ATOMS = 12;

/**
 * Learns the dictionary and renders the section.
 * @param {KsvdSectionInput} o
 * @returns {KsvdSection} `files`: the pictures, named `ksvd-<id>-….png`; none with `people`
 *   (pictures of real persons: with few pictures per person, even the atoms look like someone)
 */
export function ksvdSection(o) {
  const { X, width, height, timed, nNonzero } = o;
  const d = X.cols;
  const strokes = STROKES.filter((j) => j <= nNonzero);
  const model = timed(`${o.id}: pca.fit, ${X.rows} × ${d} → ${o.nComponents}`, () => pca.fit(X, { nComponents: o.nComponents, seed: 0 }));
  const Z = timed(`${o.id}: pca.transform (the latent vectors)`, () => pca.transform(model, X));
  const dict = timed(`${o.id}: ksvd.fit, ${o.nAtoms} atoms, ${nNonzero} per vector, ≤ ${o.maxIter} iterations`,
    () => ksvd.fit(Z, { nAtoms: o.nAtoms, nNonzero, maxIter: o.maxIter, seed: 0 }));
  const codes = timed(`${o.id}: ksvd.transform (every vector's sparse code)`, () => ksvd.transform(dict, Z));

  const atoms = mostUsed(codes, SHOWN_ATOMS);
  const toPixels = (latent) => pca.inverseTransform(model, asRow(latent)).data;
  const atomPictures = new Float64Array(2 * atoms.length * d);
  atoms.forEach(({ atom, rms }, r) => {
    const a = dict.dictionary.data.subarray(atom * dict.dictionary.cols, (atom + 1) * dict.dictionary.cols);
    atomPictures.set(toPixels(scaled(a, 2 * rms)), r * d);
    atomPictures.set(toPixels(scaled(a, -2 * rms)), (atoms.length + r) * d);
  });

  const rows = timed(`${o.id}: ${o.samples.length} ${o.noun}s decoded stroke by stroke (omp.encode, ksvd.incremental)`,
    () => o.samples.map((i) => strokesOf(dict, Z, X, i, strokes, toPixels)));
  const strip = new Float64Array(o.samples.length * (strokes.length + 2) * d);
  rows.forEach((row, r) => row.pictures.forEach((pic, c) => strip.set(pic, (r * (strokes.length + 2) + c) * d)));

  const lead = atoms[0].atom;
  const users = ksvd.query(dict, codes, lead).subarray(0, 8);
  const userPictures = new Float64Array(users.length * d);
  users.forEach((i, r) => userPictures.set(X.data.subarray(i * d, (i + 1) * d), r * d));

  const size = { width, height, scale: o.scale, padding: 2 };
  const png = timed(`${o.id}: render pictures (image.grid + PNG)`, () => {
    const strokesImage = grid({ rows: strip.length / d, cols: d, data: strip }, { ...size, columns: strokes.length + 2, normalize: 'all' });
    return {
      atoms: encodePng(grid({ rows: 2 * atoms.length, cols: d, data: atomPictures }, { ...size, columns: atoms.length, normalize: 'all' })),
      strokesImage,
      strokes: encodePng(strokesImage),
      users: encodePng(grid({ rows: users.length, cols: d, data: userPictures }, { ...size, columns: users.length, normalize: 'all' })),
    };
  });
  const url = (buf) => `data:image/png;base64,${buf.toString('base64')}`;
  // Every step's picture with its label under it: the picture, z drawn back, then the atom
  // each step added (since the previous column) and its weight.
  const captions = rows.flatMap((row) => ['original', `z (${o.nComponents} PCs)`,
    ...row.added.map((a, c) => `${strokes[c]} atom${strokes[c] > 1 ? 's' : ''}<br>adds ${a}`)]);
  const strokesHtml = captionedTiles(png.strokesImage, { columns: strokes.length + 2, tileWidth: width * o.scale, tileHeight: height * o.scale, padding: 2 },
    captions, `a ${o.noun} decoded atom by atom`);
  const errors = dict.errors;
  const html = `
<section id="ksvd-${o.id}">
<h2>${o.title}</h2>
<p>${o.about} <code>pca.fit(X, { nComponents: ${o.nComponents} })</code> turns each ${o.noun} into a latent vector
z of ${o.nComponents} numbers; <code>ksvd.fit(Z, { nAtoms: ${o.nAtoms}, nNonzero: ${nNonzero} })</code> learns
${o.nAtoms} unit-length directions of that space (atoms) such that every z is, nearly, a weighted sum of
${nNonzero} of them. ${dict.nIter} iterations; RMS error of the codes ${errors[0].toFixed(3)} after the first,
${errors[errors.length - 1].toFixed(3)} after the last.</p>
<h3>The ${atoms.length} most used atoms, each drawn both ways</h3>
<img alt="atoms: top row mean + 2·w·atom, bottom row mean − 2·w·atom" src="${url(png.atoms)}">
<p class="note">Top row: the mean ${o.noun} plus twice the atom's RMS weight times the atom
(<code>pca.inverseTransform(model, 2w·d)</code>); bottom row: minus. Atoms ${atoms.map((a) => a.atom).join(', ')},
used by ${atoms.map((a) => a.count).join(', ')} ${o.noun}s.</p>
<h3>Decoding: each ${o.noun} rebuilt from its first ${strokes.join(', ')} atoms</h3>
${strokesHtml}
<p class="note">Row by row: the ${o.noun}, its latent vector z drawn back as a picture, then
<code>ksvd.incremental(dict, z)</code> at ${strokes.join(', ')} atoms (OMP adds one atom per step and refits every
weight). Under each step: the atom that step added (since the previous column) and its weight then.
<code>ksvd.decode(dict, z)</code> of the first: ${rows[0].decoded}.</p>
<h3>In reverse: the ${o.noun}s that lean hardest on atom ${lead}</h3>
<img alt="the ${users.length} ${o.noun}s with the largest |weight| on atom ${lead}" src="${url(png.users)}">
<p class="note"><code>ksvd.query(dict, codes, ${lead})</code>: the ${o.noun}s whose code uses atom ${lead}, largest |weight| first.</p>
</section>`;
  const summary = `${o.id}: ${o.nAtoms} atoms learned in ${dict.nIter} iterations, RMS error ${errors[errors.length - 1].toFixed(3)}; first ${o.noun}: ${rows[0].decoded}`;
  return {
    html, summary,
    files: o.people ? {} : {
      [`ksvd-${o.id}-atoms.png`]: png.atoms, [`ksvd-${o.id}-strokes.png`]: png.strokes, [`ksvd-${o.id}-query.png`]: png.users,
    },
  };
}

/** The `count` atoms most signals use, with how many use them and their RMS weight. */
export function mostUsed(codes, count) {
  const K = codes.cols;
  const uses = new Float64Array(K), energy = new Float64Array(K);
  for (let i = 0; i < codes.rows; i++) {
    for (let k = 0; k < K; k++) {
      const w = codes.data[i * K + k];
      if (w !== 0) { uses[k]++; energy[k] += w * w; }
    }
  }
  return Array.from({ length: K }, (_, atom) => ({ atom, count: uses[atom], rms: Math.sqrt(energy[atom] / Math.max(uses[atom], 1)) }))
    .sort((a, b) => b.count - a.count || a.atom - b.atom)
    .slice(0, count);
}

const asRow = (v) => ({ rows: 1, cols: v.length, data: v });
const scaled = (v, s) => Float64Array.from(v, (x) => x * s);

/**
 * One picture's row: original, z drawn back, and its reconstructions with j atoms, with
 * the atoms each step added (OMP's support grows by one atom per step).
 */
function strokesOf(dict, Z, X, i, strokes, toPixels) {
  const p = Z.cols, d = X.cols;
  const z = Z.data.subarray(i * p, (i + 1) * p);
  const path = ksvd.incremental(dict, z);
  const pictures = [X.data.subarray(i * d, (i + 1) * d), toPixels(z)];
  const added = [];
  let before = new Set();
  for (const j of strokes) {
    pictures.push(toPixels(path.data.subarray((j - 1) * p, j * p)));
    const code = omp.encode(dict.dictionary, asRow(z), { nNonzero: j }).codes.data;
    const now = new Set();
    code.forEach((w, k) => { if (w !== 0) now.add(k); });
    added.push([...now].filter((k) => !before.has(k)).map((k) => `${k} (${code[k] >= 0 ? '+' : ''}${code[k].toFixed(2)})`).join(', '));
    before = now;
  }
  const decoded = ksvd.decode(dict, z).map(({ atom, weight }) => `${atom}: ${weight.toFixed(2)}`).join(', ');
  return { pictures, added, decoded };
}
