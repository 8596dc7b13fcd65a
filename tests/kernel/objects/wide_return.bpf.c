/* wide_return: returns a 64-bit value from the map `ret` as the program's int result. Built
 * with -mcpu=v1 (clang's default cpu, "generic"), clang moves all 64 bits into r0 (an int
 * return only defines the low 32), so r0's upper half is whatever the map holds. Linux takes
 * the XDP action from the low 32 bits of r0 (docs/semantics.md, "Differences from the Linux
 * kernel"). */
#include <linux/bpf.h>

#include <bpf/bpf_helpers.h>

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, __u64);
} ret SEC(".maps");

SEC("xdp")
int wide_return(struct xdp_md *ctx __attribute__((unused))) {
  __u32 k = 0;
  __u64 *v = bpf_map_lookup_elem(&ret, &k);
  if (!v) return XDP_ABORTED;
  return (int)*v;
}

char LICENSE[] SEC("license") = "GPL";
