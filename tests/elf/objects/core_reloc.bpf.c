/* Loader test object: a CO-RE field access (__builtin_preserve_access_index), which the
 * loader refuses. */
#include <linux/bpf.h>

#include <bpf/bpf_helpers.h>

struct kernel_thing {
  int a;
  int b;
};

SEC("xdp")
int core(struct xdp_md *ctx) {
  struct kernel_thing *t = (void *)(long)ctx->data;
  if ((void *)(t + 1) > (void *)(long)ctx->data_end)
    return XDP_DROP;
  return __builtin_preserve_access_index(t->b);
}

char LICENSE[] SEC("license") = "GPL";
