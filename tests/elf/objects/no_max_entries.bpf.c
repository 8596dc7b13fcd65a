/* Loader test object: a HASH map without max_entries. */
#include <linux/bpf.h>

#include <bpf/bpf_helpers.h>

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __type(key, __u32);
  __type(value, __u32);
} unbounded SEC(".maps");

SEC("xdp")
int no_max(struct xdp_md *ctx __attribute__((unused))) {
  __u32 key = 0;
  return bpf_map_lookup_elem(&unbounded, &key) ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
