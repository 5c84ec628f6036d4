import { render } from '../framework/templates.ts';
import type { GeneratedFile } from '../framework/types.ts';

/** The POSIX host link: fixed code (no spec data), rendered so it carries the same header. */
export function hostLinkFiles(dir: string): GeneratedFile[] {
  return [
    { path: 'include/sd_link.h', contents: render(dir, 'sd_link.h', {}) },
    { path: 'src/sd_link.c', contents: render(dir, 'sd_link.c', {}) },
  ];
}
