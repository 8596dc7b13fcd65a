/* Loader test object: bpf_loop with a callback, whose address the program loads with an
 * lddw relocated against .text; the loader refuses function pointers. */
#include <linux/bpf.h>

#include <bpf/bpf_helpers.h>

static int step(__u32 index __attribute__((unused)), void *data) {
  *(int *)data += 1;
  return 0;
}

SEC("xdp")
int loops(struct xdp_md *ctx __attribute__((unused))) {
  int n = 0;
  bpf_loop(4, step, &n, 0);
  return n;
}

char LICENSE[] SEC("license") = "GPL";
