/**
 * What the CLI knows of its own package. The version is read at build time into the bundle (and
 * from package.json when run from source), so the installed command needs no file beside it for it.
 */
export { toolVersion } from '../publish/report-meta';
