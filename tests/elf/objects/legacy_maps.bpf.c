/* Loader test object: a map in the legacy `maps` section (struct bpf_map_def), which the
 * loader refuses. */
#include <linux/bpf.h>

#include <bpf/bpf_helpers.h>

struct legacy_map_def {
  unsigned int type;
  unsigned int key_size;
  unsigned int value_size;
  unsigned int max_entries;
  unsigned int map_flags;
};

struct legacy_map_def old_map SEC("maps") = {
    .type = BPF_MAP_TYPE_ARRAY,
    .key_size = 4,
    .value_size = 4,
    .max_entries = 1,
};

SEC("xdp")
int legacy(struct xdp_md *ctx __attribute__((unused))) {
  __u32 key = 0;
  return bpf_map_lookup_elem(&old_map, &key) ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
