/* Loader test object: programs in several executable sections (xdp, xdp.frags and a
 * user-named one), two programs in one section, .text subprograms that call each other and
 * are shared between programs, a global (non-static) subprogram, global data in .data,
 * .rodata, .bss and a custom .data.stats section, and a PROG_ARRAY initialised from the
 * object. The behaviour is meaningless; the shape is what tests/elf/test_elf_loader.cpp
 * checks. */
#include <linux/bpf.h>

#include <bpf/bpf_helpers.h>

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(key_size, 4);
  __uint(value_size, 8);
  __uint(max_entries, 4);
} counters SEC(".maps");

int first_prog(struct xdp_md *ctx);
int frags_prog(struct xdp_md *ctx);

struct {
  __uint(type, BPF_MAP_TYPE_PROG_ARRAY);
  __uint(max_entries, 8);
  __type(key, __u32);
  __array(values, int(struct xdp_md *));
} progs SEC(".maps") = {
    .values =
        {
            [1] = (void *)&frags_prog,
            [5] = (void *)&first_prog,
        },
};

volatile __u32 data_var = 7;                      /* .data */
const volatile __u64 rodata_var = 0x1122334455ull; /* .rodata */
volatile __u32 bss_a;                             /* .bss */
volatile __u64 bss_b;                             /* .bss */
__u64 stats[3] SEC(".data.stats") = {1, 2, 3};

static __noinline int leaf(int x) {
  bss_a += (__u32)x;
  return x * 3 + (int)data_var;
}

static __noinline int middle(int x) {
  return leaf(x) + leaf(x + 1);
}

__noinline int global_helper(int x) {
  stats[2] += (__u64)x;
  return middle(x) ^ 5;
}

SEC("xdp")
int first_prog(struct xdp_md *ctx) {
  int v = middle((int)ctx->rx_queue_index);
  if ((__u64)v == rodata_var)
    bpf_tail_call(ctx, &progs, 1);
  return v & 3;
}

SEC("xdp")
int second_prog(struct xdp_md *ctx) {
  __u32 key = 0;
  __u64 *c = bpf_map_lookup_elem(&counters, &key);
  if (c)
    *c += 1;
  stats[1] += 1;
  return global_helper((int)ctx->ingress_ifindex) & 3;
}

SEC("xdp.frags")
int frags_prog(struct xdp_md *ctx) {
  bss_b += ctx->data_end - ctx->data;
  return leaf(1) & 3;
}

SEC("my_section")
int custom_prog(struct xdp_md *ctx __attribute__((unused))) {
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
