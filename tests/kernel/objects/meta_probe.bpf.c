/* meta_probe: makes room for 8 bytes of metadata with bpf_xdp_adjust_meta, writes a marker
 * and the frame length there, and returns XDP_PASS. The kernel session must return those
 * bytes in XdpPacketOut::meta and the frame, unchanged, in XdpPacketOut::data. */
#include <linux/bpf.h>

#include <bpf/bpf_helpers.h>

SEC("xdp")
int meta_probe(struct xdp_md *ctx) {
  if (bpf_xdp_adjust_meta(ctx, -8)) return XDP_ABORTED;
  void *data = (void *)(long)ctx->data;
  __u32 *meta = (void *)(long)ctx->data_meta;
  if ((void *)(meta + 2) > data) return XDP_ABORTED;
  meta[0] = 0xfeedf00d;
  meta[1] = ctx->data_end - ctx->data;
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
