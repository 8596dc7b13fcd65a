/* faulty: faults on some packets, passes the others. Frames whose Ethernet type is IPv6
 * (0x86dd) make it store into the read-only context (fault read_only_write); frames whose
 * first byte is 0xff make it loop until the instruction budget runs out; the rest pass,
 * counted in `seen`. (The kernel verifier refuses it; it is for interp and rtl.) */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, __u64);
} seen SEC(".maps");

SEC("xdp")
int faulty(struct xdp_md *ctx) {
  unsigned char *data = (void *)(long)ctx->data;
  unsigned char *end = (void *)(long)ctx->data_end;
  if (data + 14 > end) return XDP_DROP;
  if (data[12] == 0x86 && data[13] == 0xdd) {
    ((volatile __u32 *)ctx)[4] = 7;
    return XDP_PASS;
  }
  if (data[0] == 0xff) {
    volatile __u64 n = 0;
    while (n != 1) n += 2;
    return XDP_PASS;
  }
  __u32 key = 0;
  __u64 *v = bpf_map_lookup_elem(&seen, &key);
  if (v) *v += 1;
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
