/* verifier_refused: reads the packet without checking data_end, which the Linux verifier
 * refuses ("invalid access to packet"). The kernel session must say so, quoting its log. */
#include <linux/bpf.h>

#include <bpf/bpf_helpers.h>

SEC("xdp")
int verifier_refused(struct xdp_md *ctx) {
  const unsigned char *data = (const unsigned char *)(long)ctx->data;
  return data[12] == 0x08 ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
