import { ElMessage } from 'element-plus';

/**
 * Copy `text` to the clipboard and say so ("<what> copied"). The clipboard is refused outside a
 * secure context or without permission: then the user is told to select and copy it by hand, which
 * matters for secrets shown only once. Resolves whether it was copied.
 */
export async function copyText(text: string, what: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    ElMessage.success(`${what} copied`);
    return true;
  } catch {
    ElMessage.warning(`Copy failed: select the ${what.toLowerCase()} and copy it by hand`);
    return false;
  }
}
