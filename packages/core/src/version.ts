/**
 * The published version of `@btt/core`, stamped into every error so a report can be matched to
 * a release. Written by `pnpm changeset:version` (scripts/syncVersion.mjs) from package.json;
 * a test fails when the two differ.
 */
export const version = '0.2.0'
