/* Loader test object, built with -g0: a .maps section but no .BTF to describe it. */
#include <linux/bpf.h>

#include <bpf/bpf_helpers.h>

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __type(key, __u32);
  __type(value, __u32);
  __uint(max_entries, 1);
} lonely SEC(".maps");

SEC("xdp")
int needs_btf(struct xdp_md *ctx __attribute__((unused))) {
  __u32 key = 0;
  return bpf_map_lookup_elem(&lonely, &key) ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
