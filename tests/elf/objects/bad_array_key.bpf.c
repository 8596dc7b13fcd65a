/* Loader test object: an ARRAY map with an 8-byte key, which Linux refuses and so do we. */
#include <linux/bpf.h>

#include <bpf/bpf_helpers.h>

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __type(key, __u64);
  __type(value, __u64);
  __uint(max_entries, 4);
} wide_key SEC(".maps");

SEC("xdp")
int bad_key(struct xdp_md *ctx __attribute__((unused))) {
  __u64 key = 0;
  return bpf_map_lookup_elem(&wide_key, &key) ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
