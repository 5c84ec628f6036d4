/** Fault injection and the `random` unreset policy reproduce from a seed: the project's one PRNG. */
export { Prng } from '../src/random/index.ts';
