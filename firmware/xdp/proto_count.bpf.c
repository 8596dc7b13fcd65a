/* proto_count: counts frames and bytes per L4 protocol number (IPv4 protocol or IPv6 next
 * header) in a PERCPU_ARRAY, so cores never contend for a counter. Frames that are neither
 * IPv4 nor IPv6 and frames with a truncated or malformed IP header are counted in .bss.
 * Every frame is passed. */
#include "fw_parse.h"

struct proto_stats {
  __u64 packets;
  __u64 bytes;
};

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __type(key, __u32);
  __type(value, struct proto_stats);
  __uint(max_entries, 256);
} proto_stats SEC(".maps");

__u64 non_ip_frames;
__u64 malformed_frames;

SEC("xdp")
int proto_count(struct xdp_md *ctx) {
  struct fw_cursor c = fw_cursor_of(ctx);
  int proto = fw_parse_eth(&c, 0);
  int l4;

  if (proto == bpf_htons(ETH_P_IP)) {
    l4 = fw_parse_ipv4(&c, 0);
  } else if (proto == bpf_htons(ETH_P_IPV6)) {
    l4 = fw_parse_ipv6(&c, 0);
  } else if (proto < 0) {
    __sync_fetch_and_add(&malformed_frames, 1);
    return XDP_PASS;
  } else {
    __sync_fetch_and_add(&non_ip_frames, 1);
    return XDP_PASS;
  }
  if (l4 < 0) {
    __sync_fetch_and_add(&malformed_frames, 1);
    return XDP_PASS;
  }

  __u32 key = (__u32)l4;
  struct proto_stats *st = bpf_map_lookup_elem(&proto_stats, &key);
  if (st) {
    st->packets += 1;
    st->bytes += ctx->data_end - ctx->data;
  }
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
