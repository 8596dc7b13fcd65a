/* Loader test object: one program, no license section, no maps, no BTF (-g0). */
#include <linux/bpf.h>

#include <bpf/bpf_helpers.h>

SEC("xdp")
int bare(struct xdp_md *ctx __attribute__((unused))) {
  return XDP_PASS;
}
