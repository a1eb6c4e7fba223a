import fc from 'fast-check';

// Property tests run from a fixed seed, so a CI run is reproducible and cannot fail by the
// luck of the draw; FC_SEED=<n> explores another part of the input space, FC_SEED=random
// a new one each run (fast-check prints the seed of any failure to replay it).
const env = process.env.FC_SEED;
if (env !== 'random') fc.configureGlobal({ seed: env === undefined ? 20261123 : Number(env) });
