import { afterEach, describe, expect, it, vi } from 'vitest';
import { ElMessage } from 'element-plus';
import { copyText } from '../src/composables/clipboard';

describe('copyText', () => {
  afterEach(() => vi.restoreAllMocks());

  it('puts the text on the clipboard and says what was copied', async () => {
    const written: string[] = [];
    vi.spyOn(navigator, 'clipboard', 'get').mockReturnValue({ writeText: async (t: string) => void written.push(t) } as unknown as Clipboard);
    const success = vi.spyOn(ElMessage, 'success');
    expect(await copyText('whsec_abc', 'Secret')).toBe(true);
    expect(written).toEqual(['whsec_abc']);
    expect(success).toHaveBeenCalledWith('Secret copied');
  });

  it('tells the user to copy by hand when the browser refuses the clipboard (a secret shown once must not be lost silently)', async () => {
    vi.spyOn(navigator, 'clipboard', 'get').mockReturnValue({ writeText: () => Promise.reject(new DOMException('denied', 'NotAllowedError')) } as unknown as Clipboard);
    const warning = vi.spyOn(ElMessage, 'warning');
    expect(await copyText('qm_key', 'Key')).toBe(false);
    expect(warning).toHaveBeenCalledWith('Copy failed: select the key and copy it by hand');
  });
});
