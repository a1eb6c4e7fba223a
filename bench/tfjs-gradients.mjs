// A module resolution hook (node:module `register`) that lets Node load tfjs-core's ES
// module build of its gradients, dist/register_all_gradients.js: its files import each
// other without file extensions ('./gradients/Abs_grad'), which Node's ESM resolver
// refuses. Only relative specifiers from inside @tensorflow/tfjs-core/dist/ are touched.
// tfjs-core's Node bundle (what `import '@tensorflow/tfjs-core'` loads) registers no
// gradients (the full @tensorflow/tfjs package does that), and its kernel and gradient
// registries live on globalThis, so gradients registered through this second copy serve
// it. Used by autodiff.bench.mjs to time TFJS training steps.
export async function resolve(specifier, context, next) {
  if (/^\.\.?\//.test(specifier) && context.parentURL?.includes('/@tensorflow/tfjs-core/dist/') && !/\.[cm]?js$/.test(specifier)) {
    try {
      return await next(`${specifier}.js`, context);
    } catch {
      return next(`${specifier}/index.js`, context);
    }
  }
  return next(specifier, context);
}
