/* bad_action: returns 9, not an XDP action, for frames whose first byte is 0xee (fault
 * invalid_action: found after exit, so the report has no pc for it); the rest pass. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int bad_action(struct xdp_md *ctx) {
  unsigned char *data = (void *)(long)ctx->data;
  unsigned char *end = (void *)(long)ctx->data_end;
  if (data + 14 > end) return XDP_DROP;
  if (data[0] == 0xee) return 9;
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
