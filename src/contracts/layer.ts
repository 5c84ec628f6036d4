/**
 * The four layers of the model, most fundamental first. Each has its own module and its own format:
 *
 *   1 specification  what a driver needs of a peripheral       driver contracts   (./specification.ts)
 *   2 realization    what one hardware revision provides        the IR             (src/ir, src/importers, src/overlay)
 *   3 configuration  one deployment's choices on a revision     configurations     (./configuration.ts)
 *   4 profile        what the user wants of every deployment    user profiles      (./profile.ts)
 *
 * A layer may read only the layers below it (more fundamental); when requirements of several layers
 * conflict, the most fundamental one is what would have to change. The names are what reports and
 * report.json carry (`blockingLayer: "hardware"`); the number is what text reports say ("layer 2").
 */
export type Layer = 'contract' | 'hardware' | 'configuration' | 'profile';

/** Every layer, most fundamental first. */
export const LAYERS: readonly Layer[] = ['contract', 'hardware', 'configuration', 'profile'];

const layerNames: Readonly<Record<Layer, string>> = {
  contract: 'specification (driver contract)',
  hardware: 'realization (hardware spec)',
  configuration: 'configuration',
  profile: 'user profile',
};

/** The layer's number in the four-layer model: 1 is the most fundamental. */
export function layerNumber(layer: Layer): 1 | 2 | 3 | 4 {
  return (LAYERS.indexOf(layer) + 1) as 1 | 2 | 3 | 4;
}

/** "layer 2 (realization (hardware spec))". */
export function layerLabel(layer: Layer): string {
  return `layer ${layerNumber(layer)} (${layerNames[layer]})`;
}

/** True when `a` lies below `b`: a change to `a` is the deeper change. */
export function isMoreFundamental(a: Layer, b: Layer): boolean {
  return layerNumber(a) < layerNumber(b);
}

/** The most fundamental of some layers: in a conflict, the one that would have to change. */
export function mostFundamental(layers: readonly [Layer, ...Layer[]]): Layer {
  return layers.reduce((best, layer) => (isMoreFundamental(layer, best) ? layer : best));
}
