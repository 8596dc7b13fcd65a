/* xdp_pass: the PASS baseline. Every frame goes to the host port unchanged; the cost of the
 * program is the fixed cost of running any program at all. */
#include <linux/bpf.h>

#include <bpf/bpf_helpers.h>

SEC("xdp")
int xdp_pass(struct xdp_md *ctx __attribute__((unused))) {
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
