/* session_probe: what the kernel session hands a program. Records ctx->ingress_ifindex,
 * ctx->rx_queue_index and data_end - data in `seen`, counts packets per CPU in `per_cpu`,
 * and returns the value stored in `verdict` (XDP_PASS while it is 0), so a test can make it
 * return any number. */
#include <linux/bpf.h>

#include <bpf/bpf_helpers.h>

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 3);
  __type(key, __u32);
  __type(value, __u32);
} seen SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, __u32);
} verdict SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, __u64);
} per_cpu SEC(".maps");

__u64 packets = 0; /* .bss */

SEC("xdp")
int session_probe(struct xdp_md *ctx) {
  __u32 k0 = 0, k1 = 1, k2 = 2;
  __u32 *v = bpf_map_lookup_elem(&seen, &k0);
  if (v) *v = ctx->ingress_ifindex;
  v = bpf_map_lookup_elem(&seen, &k1);
  if (v) *v = ctx->rx_queue_index;
  v = bpf_map_lookup_elem(&seen, &k2);
  if (v) *v = ctx->data_end - ctx->data;
  __u64 *c = bpf_map_lookup_elem(&per_cpu, &k0);
  if (c) *c += 1;
  packets++;
  __u32 *r = bpf_map_lookup_elem(&verdict, &k0);
  if (r && *r) return (int)*r;
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
