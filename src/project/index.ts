export { loadProject, orderRevisions, projectPath, type Project, type BoardRevisions } from './load.ts';
export { projectSchema, PROJECT_SPEC_ID } from './schema.ts';
