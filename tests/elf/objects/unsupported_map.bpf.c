/* Loader test object: an LRU_PERCPU_HASH map, a type the loader does not support. */
#include <linux/bpf.h>

#include <bpf/bpf_helpers.h>

struct {
  __uint(type, BPF_MAP_TYPE_LRU_PERCPU_HASH);
  __type(key, __u32);
  __type(value, __u64);
  __uint(max_entries, 16);
} percpu_lru SEC(".maps");

SEC("xdp")
int uses_lru_percpu(struct xdp_md *ctx __attribute__((unused))) {
  __u32 key = 0;
  return bpf_map_lookup_elem(&percpu_lru, &key) ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
