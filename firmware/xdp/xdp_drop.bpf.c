/* xdp_drop: the DROP baseline. Every frame is discarded (and counted by the datapath). */
#include <linux/bpf.h>

#include <bpf/bpf_helpers.h>

SEC("xdp")
int xdp_drop(struct xdp_md *ctx __attribute__((unused))) {
  return XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
