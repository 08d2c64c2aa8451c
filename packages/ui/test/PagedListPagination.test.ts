import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import PagedListPagination from '../src/components/PagedListPagination.vue';
import { usePagedList } from '../src/composables/usePagedList';

function pagedNumbers(total: number) {
  const calls: { limit: number; offset: number }[] = [];
  const list = usePagedList<number>(async ({ limit, offset }) => {
    calls.push({ limit, offset });
    const data = Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) => offset + i);
    return { data, total, limit, offset };
  });
  return { list, calls };
}

describe('PagedListPagination', () => {
  it('loads the page the user picks and passes attributes to the pager', async () => {
    const { list, calls } = pagedNumbers(60);
    await list.load();
    const wrapper = mount(PagedListPagination, { props: { list }, attrs: { 'data-testid': 'pager' } });
    await flushPromises();
    expect(wrapper.find('[data-testid="pager"]').classes()).toContain('el-pagination');
    expect(wrapper.text()).toContain('Total 60');
    expect(wrapper.find('.el-pagination__sizes').exists()).toBe(false);

    const two = wrapper.findAll('.el-pager li').find((li) => li.text() === '2')!;
    await two.trigger('click');
    await flushPromises();
    expect(calls.at(-1)).toEqual({ limit: 25, offset: 25 });
    expect(list.rows.value[0]).toBe(25);
  });

  it('offers page sizes when given and starts again from page 1 on a new size', async () => {
    const { list, calls } = pagedNumbers(300);
    list.page.value = 3;
    await list.load();
    const wrapper = mount(PagedListPagination, { props: { list, pageSizes: [25, 100] } });
    await flushPromises();
    expect(wrapper.find('.el-pagination__sizes').exists()).toBe(true);

    list.pageSize.value = 100; // what picking "100/page" does through v-model
    wrapper.findComponent({ name: 'ElPagination' }).vm.$emit('size-change', 100);
    await flushPromises();
    expect(list.page.value).toBe(1);
    expect(calls.at(-1)).toEqual({ limit: 100, offset: 0 });
  });
});
