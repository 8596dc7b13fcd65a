/* lpm_key12: an LPM trie with a 12-byte key (4-byte prefix length, 8 data bytes). The
 * interpreter (like the kernel) takes it; the rtl map unit supports LPM keys of 8 and 20
 * bytes only and refuses it at load: compare must count that as a difference. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct key12 {
  __u32 prefixlen;
  __u8 data[8];
};

struct {
  __uint(type, BPF_MAP_TYPE_LPM_TRIE);
  __uint(max_entries, 16);
  __uint(map_flags, BPF_F_NO_PREALLOC);
  __type(key, struct key12);
  __type(value, __u32);
} prefixes SEC(".maps");

SEC("xdp")
int lpm_key12(struct xdp_md *ctx) {
  unsigned char *data = (void *)(long)ctx->data;
  unsigned char *end = (void *)(long)ctx->data_end;
  if (data + 14 > end) return XDP_DROP;
  struct key12 k = {.prefixlen = 64};
  __builtin_memcpy(k.data, data, 8);
  return bpf_map_lookup_elem(&prefixes, &k) ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
