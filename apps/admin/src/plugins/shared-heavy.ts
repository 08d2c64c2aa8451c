/**
 * The whole of Element Plus and @quartermaster/ui for console modules, behind one dynamic import.
 * Re-exported from here rather than imported as `import('element-plus')`: the shell imports those
 * packages statically too, and a dynamic import of a statically imported module makes the bundler
 * put every export of it into the first-load chunks. Through this module, only the parts the shell
 * uses load at start; the rest loads when the first runtime module does.
 */
import * as elementPlus from 'element-plus';
import * as ui from '@quartermaster/ui';

export { elementPlus, ui };
